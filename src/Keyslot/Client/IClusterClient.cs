using Keyslot.Protocol;

namespace Keyslot;

/// <summary>
/// A Redis Cluster client. Every command goes to the node that owns its keys' hash slot; redirects during resharding
/// and failover are followed transparently. Every method takes a <see cref="CancellationToken"/>; a command also fails
/// alone with <see cref="RedisTimeoutException"/> after the configured command timeout.
/// </summary>
public partial interface IClusterClient : IRedisCommands, IAsyncDisposable
{
    /// <summary>The slot map the client routes by, as a snapshot.</summary>
    ClusterTopology Topology { get; }

    /// <summary>The read policy this client (or view) applies to read-only commands.</summary>
    ReadPolicy ReadPolicy { get; }

    /// <summary>
    /// The same client with another read policy for its read-only commands (a per-call override), sharing the
    /// connections; disposing the view does nothing.
    /// </summary>
    IClusterClient WithReadPolicy(ReadPolicy readPolicy);

    /// <summary>
    /// The same client with the client-side cache bypassed (<c>clientCache</c>): its reads always ask the server and
    /// store nothing; its writes still retire the cached entries. Without a cache it is this client.
    /// </summary>
    /// <returns>A view sharing this client's connections.</returns>
    IClusterClient WithoutClientCache();

    /// <summary>
    /// Completes when the client has a slot map: at once after a successful connect; for a client created in the
    /// background (dependency injection) when the first map arrives. Throws when the credentials are refused.
    /// </summary>
    Task WhenConnectedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the client has a slot map, as <see cref="WhenConnectedAsync(CancellationToken)"/>, but within
    /// <paramref name="timeout"/>: when no map arrives in time it throws <see cref="RedisConnectionException"/> with
    /// the last connection or topology error as its inner exception, or <see cref="RedisTimeoutException"/> when no
    /// error was seen. <see cref="Timeout.InfiniteTimeSpan"/> waits without a bound.
    /// </summary>
    Task WhenConnectedAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// A snapshot of the slot map's nodes and the client's connections to them (connected or not, last error) and
    /// whether every slot has a known primary. Sends nothing and never waits.
    /// </summary>
    ClusterHealth GetHealth();

    /// <summary>
    /// Raised (on the thread pool, never on a read loop) when a node's interactive connection is lost or cannot be
    /// made; once per outage.
    /// </summary>
    event EventHandler<ConnectionEventArgs>? ConnectionFailed;

    /// <summary>Raised (on the thread pool) when a node's interactive connection is made again after <see cref="ConnectionFailed"/>.</summary>
    event EventHandler<ConnectionEventArgs>? ConnectionRestored;

    /// <summary>Raised (on the thread pool) after the slot map changed; changes close together are raised once with the latest map.</summary>
    event EventHandler<TopologyChangedEventArgs>? TopologyChanged;

    /// <summary>Runs any command, routed by its keys (found from the server's command table).</summary>
    /// <example><c>await cluster.ExecuteAsync("HSET", "user:{42}", "name", "Ada");</c></example>
    ValueTask<RespValue> ExecuteAsync(string command, params RedisArgument[] args);

    /// <summary>Runs any command, routed by its keys, as <see cref="ExecuteAsync(string, IEnumerable{RedisArgument}, CancellationToken)"/> does.</summary>
    ValueTask<RespValue> ExecuteAsync(string command, RedisArgument[] args, CancellationToken cancellationToken);

    /// <summary>
    /// Runs any command, routed by its keys. MGET, MSET, DEL, UNLINK, EXISTS and TOUCH whose keys span slots are
    /// split by slot (not atomically) and their replies merged, as the typed methods do; for any other command, keys in
    /// different slots fail with <see cref="RedisCrossSlotException"/> before sending. A command whose server tips say it runs on every shard or node (DBSIZE, KEYS, FLUSHALL, PING,
    /// SCRIPT LOAD…) is sent to each and the replies merged as its response policy says (sum, all must succeed…);
    /// failures on some nodes raise <see cref="RedisFanOutException"/>. A blocking command (BLPOP, BRPOP, BLMOVE,
    /// BRPOPLPUSH, BLMPOP, BZPOPMIN/MAX, BZMPOP, XREAD/XREADGROUP with BLOCK) runs on a dedicated connection of the
    /// owning node's blocking pool (<see cref="ClusterOptions.BlockingConnectionsPerNode"/>), waits at most its own
    /// timeout plus the command timeout, resumes at the new owner after a failover, and when cancelled is ended on
    /// the server with CLIENT UNBLOCK; an element it had already taken is then returned rather than lost. WAIT and
    /// WAITAOF are refused (<see cref="RedisCommandRefusedException"/>): they measure the writes of the connection
    /// they run on.
    /// </summary>
    ValueTask<RespValue> ExecuteAsync(string command, IEnumerable<RedisArgument> args, CancellationToken cancellationToken);

    /// <summary>Starts a batch: commands queued on it are sent grouped by node, each group in one write; not atomic.</summary>
    ClusterBatch CreateBatch();

    /// <summary>Starts a MULTI/EXEC transaction over keys that share one hash slot, optionally with WATCHed conditions.</summary>
    ClusterTransaction CreateTransaction();

    /// <summary>Runs a command on one chosen node, with no routing or redirects (INFO, CONFIG GET, CLIENT LIST…).</summary>
    Task<RespValue> ExecuteOnNodeAsync(NodeEndpoint node, string command, IEnumerable<RedisArgument> args, CancellationToken cancellationToken = default);

    /// <summary>Runs a command on every primary, replica or node, and returns each node's reply or error (it never throws for a node's error).</summary>
    Task<IReadOnlyList<NodeReply>> ExecuteOnNodesAsync(NodeSelection nodes, string command, IEnumerable<RedisArgument> args, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every key of the cluster (optionally matching <paramref name="pattern"/> and of <paramref name="type"/>), read
    /// with SCAN from each primary, <paramref name="pageSize"/> at a time. Holds while slots move: every key that exists
    /// for the whole scan is returned at least once, and no key twice while the topology is stable.
    /// </summary>
    IAsyncEnumerable<string> ScanAsync(string? pattern = null, int pageSize = 250, string? type = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The cluster-wide SCAN of <see cref="ScanAsync"/>, yielding each key exactly as stored (binary keys intact, where
    /// <see cref="ScanAsync"/> decodes them as UTF-8 text).
    /// </summary>
    IAsyncEnumerable<RedisKey> ScanKeysAsync(string? pattern = null, int pageSize = 250, string? type = null, CancellationToken cancellationToken = default);

    /// <summary>SCAN of one node: all the keys it holds, whatever slots they are in.</summary>
    IAsyncEnumerable<string> ScanNodeAsync(NodeEndpoint node, string? pattern = null, int pageSize = 250, string? type = null, CancellationToken cancellationToken = default);

    /// <summary>DBSIZE of the whole cluster: the sum over the primaries.</summary>
    ValueTask<long> DatabaseSizeAsync(CancellationToken cancellationToken = default);

    /// <summary>DEL of several keys, in any slots (one DEL per slot, in parallel; not atomic across slots): how many existed.</summary>
    ValueTask<long> KeyDeleteAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>UNLINK of several keys, in any slots (split per slot like <see cref="KeyDeleteAsync(RedisKey[], CancellationToken)"/>).</summary>
    ValueTask<long> KeyUnlinkAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>EXISTS of several keys, in any slots (split per slot, counts summed): how many exist.</summary>
    ValueTask<long> KeyExistsAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>TOUCH of several keys, in any slots (split per slot, counts summed): how many exist.</summary>
    ValueTask<long> KeyTouchAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// MGET of keys in any slots: one MGET per slot, sent in parallel, values returned in the order of
    /// <paramref name="keys"/> (null where a key does not exist). Not a single snapshot when keys span slots.
    /// </summary>
    ValueTask<string?[]> StringGetAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// MGET of keys in any slots, values as bytes (exact, whatever they hold): split per slot and merged like
    /// <see cref="StringGetAsync(RedisKey[], CancellationToken)"/>, values in the order of <paramref name="keys"/>,
    /// null where a key does not exist.
    /// </summary>
    ValueTask<byte[]?[]> StringGetBytesAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>MSET of keys in any slots: one MSET per slot, in parallel. Not atomic across slots.</summary>
    ValueTask StringSetAsync(IEnumerable<KeyValuePair<RedisKey, RedisArgument>> values, CancellationToken cancellationToken = default);

    /// <summary>
    /// MSETNX: sets all keys only if none exists, atomically. The keys must share one slot (use a hashtag): keys in
    /// different slots fail with <see cref="RedisCrossSlotException"/> before anything is sent.
    /// </summary>
    ValueTask<bool> StringSetIfNoneExistAsync(IEnumerable<KeyValuePair<RedisKey, RedisArgument>> values, CancellationToken cancellationToken = default);
}
