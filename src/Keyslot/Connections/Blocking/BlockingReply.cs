using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// The reply to one blocking command, kept as what happened rather than thrown: the command's runner decides what an
/// error reply or a lost connection means (follow a redirect, resume elsewhere) and whether a reply that came after
/// the caller gave up is still handed over (an element it popped must not be lost).
/// </summary>
internal sealed class BlockingReply<T> : PendingReply
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReplyParser<T> _parser;
    private readonly string _command;
    private readonly NodeEndpoint _node;

    public BlockingReply(string command, ReplyParser<T> parser, NodeEndpoint node)
    {
        _command = command;
        _parser = parser;
        _node = node;
        Deadline = long.MaxValue; // its runner bounds the wait (the server's timeout plus the command timeout)
    }

    public override string CommandName => _command;

    /// <summary>Completes when the reply (or the connection's loss) is in.</summary>
    public Task Completion => _done.Task;

    public bool IsDone => _done.Task.IsCompleted;

    /// <summary>The parsed reply, when one came.</summary>
    public T? Value { get; private set; }

    /// <summary>True when the reply was a null (the server's timeout, or CLIENT UNBLOCK): nothing was taken.</summary>
    public bool WasNull { get; private set; }

    /// <summary>The server's error reply, when that is what came.</summary>
    public ServerError? Error { get; private set; }

    /// <summary>Why the connection was lost after the command was written, when it was.</summary>
    public Exception? Lost { get; private set; }

    /// <summary>A failure that ends the command (an unreadable reply).</summary>
    public Exception? Failure { get; private set; }

    public override void OnReply(ref RespReader reader)
    {
        try
        {
            if (reader.IsError)
            {
                Error = ServerError.Read(ref reader);
            }
            else
            {
                WasNull = reader.Type == RespType.Null;
                Value = _parser(ref reader);
            }
        }
        catch (Exception ex)
        {
            Failure = RedisUnexpectedReplyException.From(ex, _command, _node);
        }
        _done.TrySetResult();
    }

    public override void OnTimeout(NodeConnection connection, int inFlight) => Fail(new RedisTimeoutException(_command, connection.Endpoint, -1, connection.CommandTimeout, inFlight));

    public override void OnConnectionLost(NodeConnection connection, Exception cause)
    {
        Lost = cause;
        _done.TrySetResult();
    }

    public override void Fail(Exception error)
    {
        Failure ??= error;
        _done.TrySetResult();
    }
}
