using System.Diagnostics;
using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// A reply to a command sent to one connection with no routing, redirects or retries: the handshake, topology
/// queries, per-node commands. Error replies surface as <see cref="RedisServerException"/>. Not pooled: not a hot path.
/// </summary>
internal sealed class DirectReply<T> : PendingReply
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReplyParser<T> _parser;
    private readonly string _command;
    private CancellationTokenRegistration _cancellation;

    public DirectReply(string command, ReplyParser<T> parser, TimeSpan timeout)
    {
        _command = command;
        _parser = parser;
        Deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    public Task<T> Task => _completion.Task;

    public override string CommandName => _command;

    public NodeEndpoint Node { get; set; }

    /// <summary>
    /// Ends the wait when <paramref name="token"/> is cancelled. The registration goes as soon as the reply completes:
    /// an application may pass one long-lived token (its own lifetime's) to every per-node command, and that token
    /// would otherwise keep every finished reply, with its whole value, alive until it is cancelled.
    /// </summary>
    public void CancelWith(CancellationToken token)
    {
        if (!token.CanBeCanceled) return;
        _cancellation = token.UnsafeRegister(static (state, t) => ((DirectReply<T>)state!).Fail(new OperationCanceledException(t)), this);
        if (_completion.Task.IsCompleted) _cancellation.Unregister(); // completed before the registration was stored
    }

    private void Succeed(T value)
    {
        _completion.TrySetResult(value);
        _cancellation.Unregister();
    }

    private void Reject(Exception error)
    {
        _completion.TrySetException(error);
        _cancellation.Unregister();
    }

    public override void OnReply(ref RespReader reader)
    {
        try
        {
            if (reader.IsError)
            {
                ServerError error = ServerError.Read(ref reader);
                Reject(new RedisServerException(error.Kind, error.Message, _command, Node));
                return;
            }
            Succeed(_parser(ref reader));
        }
        catch (Exception ex)
        {
            Reject(RedisUnexpectedReplyException.From(ex, _command, Node));
        }
    }

    public override void OnTimeout(NodeConnection connection, int inFlight) =>
        Reject(new RedisTimeoutException(_command, connection.Endpoint, -1, connection.CommandTimeout, inFlight));

    public override void OnConnectionLost(NodeConnection connection, Exception cause) =>
        Reject(new RedisConnectionException($"The connection to {connection.Endpoint} was lost while {_command} awaited its reply.", connection.Endpoint, mayHaveBeenApplied: true, cause));

    public override void Fail(Exception error) => Reject(error);
}
