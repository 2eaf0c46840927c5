using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;
using Keyslot.Slots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot;

/// <summary>
/// A Redis Cluster client: one pipelined connection per node, each command sent straight to the node that owns its
/// keys' slot, MOVED and ASK followed without the caller noticing. Thread-safe; create one per cluster and share it
/// for the application's lifetime.
/// </summary>
public sealed partial class ClusterClient : IClusterClient
{
    private readonly Router _router;
    private readonly ClusterOptions _options;
    private int _disposed;

    private ClusterClient(ClusterOptions options, Router router)
    {
        _options = options;
        _router = router;
    }

    /// <summary>Connects using a configuration string (StackExchange.Redis syntax or a redis:// URI).</summary>
    /// <param name="configuration">For example <c>clustercfg.my-cache.abc123.use1.cache.amazonaws.com:6379,ssl=true,user=app,password=…</c>.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    public static Task<ClusterClient> ConnectAsync(string configuration, CancellationToken cancellationToken = default) =>
        ConnectAsync(ClusterOptions.Parse(configuration), cancellationToken);

    /// <summary>Connects with the given options: reads the slot map from the configuration endpoints and the command table from the cluster.</summary>
    public static async Task<ClusterClient> ConnectAsync(ClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Validate();
        ILogger logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Keyslot");
        var factory = new ConnectionFactory(ConnectionSettings.From(options), logger);
        var router = new Router(options, factory, logger);
        try
        {
            await router.InitializeAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await router.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new ClusterClient(options, router);
    }

    /// <summary>The hash slot of a key, as <c>CLUSTER KEYSLOT</c> computes it (e.g. 12182 for "foo").</summary>
    public static int GetSlot(string key) => HashSlot.Of(key);

    /// <summary>The hash slot of a key given as bytes.</summary>
    public static int GetSlot(ReadOnlySpan<byte> key) => HashSlot.Of(key);

    /// <inheritdoc/>
    public ClusterTopology Topology => new(_router.CurrentMap);

    /// <summary>The options the client runs with (a copy; changing it has no effect).</summary>
    public ClusterOptions Options => _options.Clone();

    /// <inheritdoc/>
    public ValueTask<RespValue> ExecuteAsync(string command, params RedisArgument[] args) =>
        ExecuteAsync(command, args, CancellationToken.None);

    /// <inheritdoc/>
    public ValueTask<RespValue> ExecuteAsync(string command, IEnumerable<RedisArgument> args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(args);
        ThrowIfDisposed();
        RedisArgument[] list = args as RedisArgument[] ?? [.. args];
        int slot = _router.Commands.Route(command, list, out CommandFlags flags);
        return Operation<RespValue>.Start(_router, RespCommand.Create(command, list), slot, flags, ReplyParsers.Value, cancellationToken);
    }

    /// <summary>Sends a command whose slot and flags are known, with its result parser: the road every typed method takes.</summary>
    private ValueTask<T> Send<T>(in RespCommand command, int slot, CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Operation<T>.Start(_router, command, slot, flags, parser, cancellationToken);
    }

    private ValueTask<T> SendKeyed<T>(in RespCommand command, RedisKey key, CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken) =>
        Send(command, KeySlot.Of(key), flags, parser, cancellationToken);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    internal Router Router => _router;

    /// <summary>Closes every connection. Commands still in flight fail with <see cref="ObjectDisposedException"/> or a connection error.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _router.DisposeAsync().ConfigureAwait(false);
    }
}
