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
        DateTimeOffset? absolute = Ticks(reply[0], AbsoluteExpirationField) is { } a ? new DateTimeOffset(a, TimeSpan.Zero) : null;
        TimeSpan? sliding = Ticks(reply[1], SlidingExpirationField) is { } s ? new TimeSpan(s) : null;
        return (absolute, sliding);
    }

    // A missing field (null) and -1 both mean "not set"; anything but ticks is an entry this layout did not write.
    private static long? Ticks(RespValue field, string name)
    {
        if (field.IsNull)
        {
            return null;
        }
        string? text = field.AsString();
        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long ticks)
            || (ticks < 0 && ticks != NotPresent) || (name == AbsoluteExpirationField && ticks > DateTimeOffset.MaxValue.UtcTicks))
        {
            throw new RedisException($"The cache entry's field '{name}' holds '{text}', not ticks or -1: the key was not written by a distributed cache.");
        }
        return ticks == NotPresent ? null : ticks;
    }
}
