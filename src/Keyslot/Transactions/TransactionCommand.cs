using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.Transactions;

/// <summary>
/// A command queued in a transaction: written between MULTI and EXEC, and completed from its own element of EXEC's
/// reply. Queued commands are not routed one by one (the transaction is), so they are plain task sources, not operations.
/// </summary>
internal abstract class TransactionCommand(RespCommand command)
{
    public RespCommand Command { get; } = command;

    /// <summary>Takes this command's element of EXEC's reply; <paramref name="element"/> is a private copy of the reader.</summary>
    public abstract void Complete(ref RespReader element, NodeEndpoint node);

    /// <summary>This command's result could not be read.</summary>
    public abstract void Fail(Exception error);

    /// <summary>The transaction did not commit (or failed as a whole): the result will never come.</summary>
    public abstract void Cancel();
}

/// <summary>A queued command whose result is a <typeparamref name="T"/>.</summary>
internal sealed class TransactionCommand<T>(RespCommand command, ReplyParser<T> parser) : TransactionCommand(command)
{
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<T> ResultTask => new(_result.Task);

    public override void Complete(ref RespReader element, NodeEndpoint node)
    {
        if (element.IsError)
        {
            // A runtime error (WRONGTYPE…) fails this command only: EXEC ran the others, a transaction has no rollback.
            ServerError error = ServerError.Read(ref element);
            _result.TrySetException(new RedisServerException(error.Kind, error.Message, Command.Name, node));
            return;
        }
        try
        {
            _result.TrySetResult(parser(ref element));
        }
        catch (Exception ex)
        {
            // A reply of an unexpected shape fails this command only; the frame was whole.
            _result.TrySetException(RedisUnexpectedReplyException.From(ex, Command.Name, node));
        }
    }

    public override void Fail(Exception error) => _result.TrySetException(error);

    public override void Cancel() => _result.TrySetCanceled();
}
