using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>
/// A plain connection to one node (from <see cref="LocalRedisCluster.ConnectAsync"/>), for tests that check
/// things with the server directly. One command at a time; not a cluster client (it does not follow MOVED/ASK).
/// </summary>
public sealed class LocalRedisConnection : IAsyncDisposable
{
    private readonly RespConnection _connection;
    private readonly string _endpoint;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal LocalRedisConnection(RespConnection connection, string endpoint, TimeSpan timeout)
    {
        _connection = connection;
        _endpoint = endpoint;
        _timeout = timeout;
    }

    /// <summary>Runs a command and renders the reply as text (arrays newline-joined, nil empty).</summary>
    /// <param name="args">The command and its arguments.</param>
    /// <returns>The reply text.</returns>
    /// <exception cref="LocalRedisCommandException">The server answered with an error.</exception>
    public Task<string> ExecuteAsync(params string[] args) => ExecuteAsync(args, CancellationToken.None);

    /// <summary>Runs a command and renders the reply as text (arrays newline-joined, nil empty).</summary>
    /// <param name="args">The command and its arguments.</param>
    /// <param name="cancellationToken">Cancels the command (the connection is then unusable).</param>
    /// <returns>The reply text.</returns>
    /// <exception cref="LocalRedisCommandException">The server answered with an error.</exception>
    public async Task<string> ExecuteAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        object[] command = args.Cast<object>().ToArray();
        if (command.Length == 0)
        {
            throw new ArgumentException("A command needs at least its name.", nameof(args));
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_timeout);
        await _gate.WaitAsync(cts.Token).ConfigureAwait(false);
        try
        {
            var reply = await _connection.SendAsync(command, cts.Token).ConfigureAwait(false);
            return reply.IsError
                ? throw new LocalRedisCommandException(_endpoint, CommandText.Describe(command), reply.Text!)
                : reply.ToText();
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LocalRedisClusterTimeoutException($"{CommandText.Describe(command)} on {_endpoint} got no reply within {_timeout.TotalMilliseconds:0} ms.", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
