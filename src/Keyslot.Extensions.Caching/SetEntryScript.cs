namespace Keyslot.Extensions.Caching;

/// <summary>
/// Writes an entry and its TTL atomically in one round trip: a Lua script, sent by SHA1 (EVALSHA) and in full (EVAL)
/// only where a node lacks it. A script rather than MULTI/EXEC because the synchronous road runs single commands
/// (<see cref="IClusterClient.Execute(string, RedisArgument[])"/>): a transaction needs three commands pinned to one
/// connection, a script is one command either way. Unlike RedisCache's pipelined HSET + EXPIRE, no reader can see the
/// value without its TTL, and an entry without expiration drops a TTL left by an earlier Set (PERSIST).
/// </summary>
internal static class SetEntryScript
{
    // KEYS[1] = entry; ARGV = absexp ticks, sldexp ticks, data, TTL in seconds or -1 for none.
    private const string Source = """
        redis.call('HSET', KEYS[1], 'absexp', ARGV[1], 'sldexp', ARGV[2], 'data', ARGV[3])
        if ARGV[4] == '-1' then
          redis.call('PERSIST', KEYS[1])
        else
          redis.call('EXPIRE', KEYS[1], ARGV[4])
        end
        return 1
        """;

    private static readonly ClusterScript Script = new(Source);

    public static ValueTask<RespValue> RunAsync(IClusterClient client, string key, RedisArgument[] args, CancellationToken cancellationToken) =>
        Script.EvaluateAsync(client, [key], args, cancellationToken);

    /// <summary>The synchronous twin of <see cref="ClusterScript.EvaluateAsync"/>, on the caller's thread.</summary>
    public static RespValue Run(IClusterClient client, string key, RedisArgument[] args)
    {
        try
        {
            return client.Execute("EVALSHA", Arguments(Script.Sha1, key, args));
        }
        catch (RedisServerException ex) when (ex.Kind == RedisErrorKind.NoScript)
        {
            return client.Execute("EVAL", Arguments(Script.Source, key, args));
        }
    }

    /// <summary>The script's ARGV for an entry.</summary>
    public static RedisArgument[] Arguments(DateTimeOffset? absolute, TimeSpan? sliding, ReadOnlyMemory<byte> data, long? ttlSeconds) =>
    [
        absolute?.UtcTicks ?? CacheEntryLayout.NotPresent, // UTC whatever the offset given: readers take it as UTC
        sliding?.Ticks ?? CacheEntryLayout.NotPresent,
        data,
        ttlSeconds ?? -1,
    ];

    private static RedisArgument[] Arguments(string script, string key, RedisArgument[] args)
    {
        var all = new RedisArgument[3 + args.Length];
        all[0] = script;
        all[1] = 1;
        all[2] = key;
        args.CopyTo(all, 3);
        return all;
    }
}
