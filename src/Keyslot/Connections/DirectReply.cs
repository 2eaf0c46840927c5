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

    public DirectReply(string command, ReplyParser<T> parser, TimeSpan timeout)
    {
        _command = command;
        _parser = parser;
        Deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    public Task<T> Task => _completion.Task;

    public override string CommandName => _command;

    public NodeEndpoint Node { get; set; }

    public override void OnReply(ref RespReader reader)
    {
        try
        {
            if (reader.IsError)
            {
                ServerError error = ServerError.Read(ref reader);
                _completion.TrySetException(new RedisServerException(error.Kind, error.Message, _command, Node));
                return;
            }
            _completion.TrySetResult(_parser(ref reader));
        }
        catch (Exception ex)
        {
            _completion.TrySetException(RedisUnexpectedReplyException.From(ex, _command, Node));
        }
    }

    public override void OnTimeout(NodeConnection connection, int inFlight) =>
        _completion.TrySetException(new RedisTimeoutException(_command, connection.Endpoint, -1, connection.CommandTimeout, inFlight));

    public override void OnConnectionLost(NodeConnection connection, Exception cause) =>
        _completion.TrySetException(new RedisConnectionException($"The connection to {connection.Endpoint} was lost while {_command} awaited its reply.", connection.Endpoint, mayHaveBeenApplied: true, cause));

    public override void Fail(Exception error) => _completion.TrySetException(error);
}
