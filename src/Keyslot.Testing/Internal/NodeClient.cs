namespace Keyslot.Testing.Internal;

/// <summary>
/// The cluster's own command channel to one node: one cached, authenticated connection used one command at a time.
/// A connection that saw a transport error or timeout is dropped and reopened on the next command.
/// </summary>
internal sealed class NodeClient : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Func<RespConnectionFactory> _factory;
    private readonly string _endpoint;
    private RespConnection? _connection;

    public NodeClient(string endpoint, Func<RespConnectionFactory> factory)
    {
        _endpoint = endpoint;
        _factory = factory;
    }

    /// <summary>Runs a command and returns the reply; error replies become <see cref="LocalRedisCommandException"/>.</summary>
    public async Task<RespReply> ExecuteAsync(IReadOnlyList<object> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = await ExecuteRawAsync(args, timeout, cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
        {
            throw new LocalRedisCommandException(_endpoint, CommandText.Describe(args), reply.Text!);
        }

        return reply;
    }

    /// <summary>Runs a command and returns the reply, error replies included.</summary>
    public async Task<RespReply> ExecuteRawAsync(IReadOnlyList<object> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await _gate.WaitAsync(cts.Token).ConfigureAwait(false);
        try
        {
            _connection ??= await _factory().OpenAsync(cts.Token).ConfigureAwait(false);
            return await _connection.SendAsync(args, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not LocalRedisCommandException)
        {
            await DropAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new LocalRedisClusterTimeoutException(
                    $"{CommandText.Describe(args)} on {_endpoint} got no reply within {timeout.TotalMilliseconds:0} ms.", ex);
            }

            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Pipelines several commands on the cached connection (written together, replies read in order).
    /// Error replies are returned, not thrown.
    /// </summary>
    public async Task<RespReply[]> ExecuteManyAsync(IReadOnlyList<IReadOnlyList<object>> commands, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await _gate.WaitAsync(cts.Token).ConfigureAwait(false);
        try
        {
            _connection ??= await _factory().OpenAsync(cts.Token).ConfigureAwait(false);
            return await _connection.SendManyAsync(commands, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not LocalRedisCommandException)
        {
            await DropAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new LocalRedisClusterTimeoutException(
                    $"A pipeline of {commands.Count} commands on {_endpoint} got no complete reply within {timeout.TotalMilliseconds:0} ms.", ex);
            }

            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DropAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is not null)
        {
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The connection is already broken; nothing to clean up.
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DropAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
