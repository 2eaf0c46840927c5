using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<string?> HashGetAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HGET", key, field), key, CachedRead, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> HashGetBytesAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HGET", key, field), key, CachedRead, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?[]> HashGetAsync(RedisKey key, RedisArgument[] fields, CancellationToken cancellationToken = default) =>
        Keyed(KeyAndFields("HMGET", key, fields), key, CachedRead, ReplyParsers.StringArray, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?[]> HashGetBytesAsync(RedisKey key, RedisArgument[] fields, CancellationToken cancellationToken = default) =>
        Keyed(KeyAndFields("HMGET", key, fields), key, CachedRead, ReplyParsers.BytesArray, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Dictionary<string, string>> HashGetAllAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HGETALL", key), key, CachedRead, ReplyParsers.StringMap, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Dictionary<string, byte[]>> HashGetAllBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HGETALL", key), key, CachedRead, ReplyParsers.BytesMap, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> HashSetAsync(RedisKey key, RedisArgument field, RedisArgument value, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HSET", key, field, value), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> HashSetAsync(RedisKey key, IEnumerable<KeyValuePair<RedisArgument, RedisArgument>> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        int pairs = 0;
        foreach (KeyValuePair<RedisArgument, RedisArgument> pair in fields)
        {
            builder.Add(pair.Key);
            builder.Add(pair.Value);
            pairs++;
        }
        if (pairs == 0) throw new ArgumentException("HSET needs at least one field.", nameof(fields));
        return Keyed(builder.Build("HSET"), key, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> HashDeleteAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HDEL", key, field), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> HashDeleteAsync(RedisKey key, RedisArgument[] fields, CancellationToken cancellationToken = default) =>
        Keyed(KeyAndFields("HDEL", key, fields), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <summary><c>NAME key field…</c>, for the hash commands that take a list of fields.</summary>
    private static RespCommand KeyAndFields(string name, RedisKey key, RedisArgument[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Length == 0) throw new ArgumentException($"{name} needs at least one field.", nameof(fields));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        foreach (RedisArgument field in fields) builder.Add(field);
        return builder.Build(name);
    }

    /// <inheritdoc/>
    public ValueTask<long> HashIncrementAsync(RedisKey key, RedisArgument field, long by = 1, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HINCRBY", key, field, by), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> HashExistsAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HEXISTS", key, field), key, CachedRead, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> HashLengthAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HLEN", key), key, CachedRead, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> HashSetIfNotExistsAsync(RedisKey key, RedisArgument field, RedisArgument value, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HSETNX", key, field, value), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<double> HashIncrementAsync(RedisKey key, RedisArgument field, double by, CancellationToken cancellationToken = default)
    {
        if (!double.IsFinite(by)) throw new ArgumentOutOfRangeException(nameof(by), by, "HINCRBYFLOAT adds a finite number.");
        return Keyed(RespCommand.Create("HINCRBYFLOAT", key, field, by), key, Write, ReplyParsers.Double, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<string[]> HashKeysAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HKEYS", key), key, CachedRead, ListReplies.Strings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> HashValuesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HVALS", key), key, CachedRead, ListReplies.Strings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> HashValuesBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HVALS", key), key, CachedRead, ListReplies.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> HashStringLengthAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HSTRLEN", key, field), key, CachedRead, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> HashRandomFieldAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HRANDFIELD", key), key, Read, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> HashRandomFieldsAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HRANDFIELD", key, RandomCount(count)), key, Read, ListReplies.Strings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<KeyValuePair<string, string>[]> HashRandomFieldsWithValuesAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("HRANDFIELD", key, RandomCount(count), "WITHVALUES"), key, Read, HashReplies.RandomFieldsWithValues, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<HashScanPage<string>> HashScanPageAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default) =>
        Keyed(KeyScan.Build("HSCAN", key, cursor, pattern, pageSize), key, Read, HashReplies.ScanPage, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<HashScanPage<byte[]>> HashScanPageBytesAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default) =>
        Keyed(KeyScan.Build("HSCAN", key, cursor, pattern, pageSize), key, Read, HashReplies.ScanPageBytes, cancellationToken);

    /// <summary>long.MinValue cannot be negated by the server (a negative count means "that many, repeats allowed").</summary>
    private static long RandomCount(long count)
    {
        if (count == long.MinValue) throw new ArgumentOutOfRangeException(nameof(count), count, "HRANDFIELD's count must be above long.MinValue.");
        return count;
    }
}
