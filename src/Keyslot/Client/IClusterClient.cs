using Keyslot.Protocol;

namespace Keyslot;

/// <summary>
/// A Redis Cluster client. Every command goes to the node that owns its keys' hash slot; redirects during resharding
/// and failover are followed transparently. Every method takes a <see cref="CancellationToken"/>; a command also fails
/// alone with <see cref="RedisTimeoutException"/> after the configured command timeout.
/// </summary>
public interface IClusterClient : IAsyncDisposable
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
    /// Completes when the client has a slot map: at once after a successful connect; for a client created in the
    /// background (dependency injection) when the first map arrives. Throws when the credentials are refused.
    /// </summary>
    Task WhenConnectedAsync(CancellationToken cancellationToken = default);

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
    /// failures on some nodes raise <see cref="RedisFanOutException"/>.
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

    /// <summary>GET: the value as UTF-8 text, or null when the key does not exist.</summary>
    ValueTask<string?> StringGetAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>GET: the value as bytes, or null when the key does not exist.</summary>
    ValueTask<byte[]?> StringGetBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>SET, with an optional expiry, NX/XX condition or KEEPTTL. Returns false when the condition prevented the write.</summary>
    ValueTask<bool> StringSetAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, bool keepTtl = false, CancellationToken cancellationToken = default);

    /// <summary>SET … GET: writes and returns the previous value (null when there was none).</summary>
    ValueTask<string?> StringSetAndGetAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, bool keepTtl = false, CancellationToken cancellationToken = default);

    /// <summary>SET … GET: writes and returns the previous value as bytes (null when there was none).</summary>
    ValueTask<byte[]?> StringSetAndGetBytesAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, bool keepTtl = false, CancellationToken cancellationToken = default);

    /// <summary>GETDEL: returns the value and deletes the key.</summary>
    ValueTask<string?> StringGetDeleteAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>GETDEL: returns the value as bytes (null when the key does not exist) and deletes the key.</summary>
    ValueTask<byte[]?> StringGetDeleteBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>GETEX: returns the value and sets its expiry (null removes the expiry, as PERSIST).</summary>
    ValueTask<string?> StringGetSetExpiryAsync(RedisKey key, TimeSpan? expiry, CancellationToken cancellationToken = default);

    /// <summary>GETEX: returns the value as bytes (null when the key does not exist) and sets its expiry (null removes the expiry, as PERSIST).</summary>
    ValueTask<byte[]?> StringGetSetExpiryBytesAsync(RedisKey key, TimeSpan? expiry, CancellationToken cancellationToken = default);

    /// <summary>INCR / INCRBY: returns the new value.</summary>
    ValueTask<long> StringIncrementAsync(RedisKey key, long by = 1, CancellationToken cancellationToken = default);

    /// <summary>DECR / DECRBY: returns the new value.</summary>
    ValueTask<long> StringDecrementAsync(RedisKey key, long by = 1, CancellationToken cancellationToken = default);

    /// <summary>APPEND: returns the new length.</summary>
    ValueTask<long> StringAppendAsync(RedisKey key, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>STRLEN.</summary>
    ValueTask<long> StringLengthAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>DEL of one key: true when it existed.</summary>
    ValueTask<bool> KeyDeleteAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>DEL of several keys, in any slots (one DEL per slot, in parallel; not atomic across slots): how many existed.</summary>
    ValueTask<long> KeyDeleteAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>UNLINK of one key (freed in the background): true when it existed.</summary>
    ValueTask<bool> KeyUnlinkAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>UNLINK of several keys, in any slots (split per slot like <see cref="KeyDeleteAsync(RedisKey[], CancellationToken)"/>).</summary>
    ValueTask<long> KeyUnlinkAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>EXISTS of one key.</summary>
    ValueTask<bool> KeyExistsAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>EXISTS of several keys, in any slots (split per slot, counts summed): how many exist.</summary>
    ValueTask<long> KeyExistsAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>EXPIRE (whole seconds) or PEXPIRE: true when the key exists and the expiry was set.</summary>
    ValueTask<bool> KeyExpireAsync(RedisKey key, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>PTTL: the remaining time to live, or null when the key has no expiry or does not exist.</summary>
    ValueTask<TimeSpan?> KeyTimeToLiveAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>TTL: seconds to live, -1 without expiry, -2 when the key does not exist.</summary>
    ValueTask<long> KeyTimeToLiveSecondsAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>PERSIST: true when an expiry was removed.</summary>
    ValueTask<bool> KeyPersistAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>TYPE: "string", "hash", … or "none".</summary>
    ValueTask<string?> KeyTypeAsync(RedisKey key, CancellationToken cancellationToken = default);

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

    /// <summary>HGET as text.</summary>
    ValueTask<string?> HashGetAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default);

    /// <summary>HGET as bytes.</summary>
    ValueTask<byte[]?> HashGetBytesAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default);

    /// <summary>HMGET: values in the order of <paramref name="fields"/>, null where missing.</summary>
    ValueTask<string?[]> HashGetAsync(RedisKey key, RedisArgument[] fields, CancellationToken cancellationToken = default);

    /// <summary>HMGET as bytes: values in the order of <paramref name="fields"/>, null where missing.</summary>
    ValueTask<byte[]?[]> HashGetBytesAsync(RedisKey key, RedisArgument[] fields, CancellationToken cancellationToken = default);

    /// <summary>HGETALL.</summary>
    ValueTask<Dictionary<string, string>> HashGetAllAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>HGETALL with the values as bytes; field names are decoded as UTF-8 text.</summary>
    ValueTask<Dictionary<string, byte[]>> HashGetAllBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>HSET of one field: true when the field is new.</summary>
    ValueTask<bool> HashSetAsync(RedisKey key, RedisArgument field, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>HSET of several fields: how many are new.</summary>
    ValueTask<long> HashSetAsync(RedisKey key, IEnumerable<KeyValuePair<RedisArgument, RedisArgument>> fields, CancellationToken cancellationToken = default);

    /// <summary>HDEL of one field: true when it existed.</summary>
    ValueTask<bool> HashDeleteAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default);

    /// <summary>HDEL of several fields: how many existed.</summary>
    ValueTask<long> HashDeleteAsync(RedisKey key, RedisArgument[] fields, CancellationToken cancellationToken = default);

    /// <summary>HINCRBY: the new value.</summary>
    ValueTask<long> HashIncrementAsync(RedisKey key, RedisArgument field, long by = 1, CancellationToken cancellationToken = default);

    /// <summary>HEXISTS.</summary>
    ValueTask<bool> HashExistsAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default);

    /// <summary>HLEN.</summary>
    ValueTask<long> HashLengthAsync(RedisKey key, CancellationToken cancellationToken = default);
}
