namespace Keyslot.Extensions.Caching;

/// <summary>
/// How an entry is stored, the layout of Microsoft.Extensions.Caching.StackExchangeRedis (RedisCache 10.x), so both
/// read each other's entries: a hash with <c>absexp</c> (absolute expiration, UTC ticks, or -1), <c>sldexp</c>
/// (sliding window, ticks, or -1) and <c>data</c> (the value's bytes).
/// </summary>
internal static class CacheEntryLayout
{
    public const string AbsoluteExpirationField = "absexp";
    public const string SlidingExpirationField = "sldexp";
    public const string DataField = "data";

    /// <summary>The value of an expiration field that is not set.</summary>
    public const long NotPresent = -1;

    /// <summary>The metadata of an entry, from the first two elements of an HMGET of <c>absexp sldexp …</c>.</summary>
    public static (DateTimeOffset? Absolute, TimeSpan? Sliding) ReadMetadata(RespValue reply)
    {
        if (!reply.IsAggregate || reply.Count < 2)
        {
            throw new RedisException($"HMGET of a cache entry answered {reply.Type} with {reply.Count} elements, not the fields asked for.");
        }
        DateTimeOffset? absolute = Ticks(reply[0]) is { } a ? new DateTimeOffset(a, TimeSpan.Zero) : null;
        TimeSpan? sliding = Ticks(reply[1]) is { } s ? new TimeSpan(s) : null;
        return (absolute, sliding);
    }

    // A missing field (null) and -1 both mean "not set".
    private static long? Ticks(RespValue field) => field.IsNull ? null : field.AsInt64() is var ticks && ticks != NotPresent ? ticks : null;
}
