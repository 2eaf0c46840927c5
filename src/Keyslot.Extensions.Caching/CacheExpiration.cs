using Microsoft.Extensions.Caching.Distributed;

namespace Keyslot.Extensions.Caching;

/// <summary>The expiration arithmetic of RedisCache 10.x, reproduced exactly so both caches give entries the same TTLs.</summary>
internal static class CacheExpiration
{
    /// <summary>
    /// The entry's absolute expiration: now + <see cref="DistributedCacheEntryOptions.AbsoluteExpirationRelativeToNow"/>
    /// when set, else <see cref="DistributedCacheEntryOptions.AbsoluteExpiration"/>. An absolute expiration that is not
    /// in the future throws (even when a relative one is also set), with RedisCache's parameter name and message.
    /// </summary>
    public static DateTimeOffset? Absolute(DateTimeOffset now, DistributedCacheEntryOptions options)
    {
        if (options.AbsoluteExpiration is { } absolute && absolute <= now)
        {
#pragma warning disable CA2208 // the parameter name is RedisCache's (the option's name), so callers catch the same exception
            throw new ArgumentOutOfRangeException(nameof(DistributedCacheEntryOptions.AbsoluteExpiration), absolute,
                "The absolute expiration value must be in the future.");
#pragma warning restore CA2208
        }
        return options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : options.AbsoluteExpiration;
    }

    /// <summary>
    /// The key's TTL at Set, in whole seconds (truncated, as RedisCache's EXPIRE): min(absolute − now, sliding), or
    /// null when the entry has neither expiration. Under one second gives 0, which makes the server drop the entry.
    /// </summary>
    public static long? SetTtlSeconds(DateTimeOffset now, DateTimeOffset? absolute, TimeSpan? sliding) => (absolute, sliding) switch
    {
        ({ } a, { } s) => (long)Math.Min((a - now).TotalSeconds, s.TotalSeconds),
        ({ } a, null) => (long)(a - now).TotalSeconds,
        (null, { } s) => (long)s.TotalSeconds,
        _ => null,
    };

    /// <summary>The TTL a read or Refresh sets on a sliding entry: the sliding window, capped by the time left to the absolute expiration.</summary>
    public static TimeSpan RefreshWindow(DateTimeOffset now, DateTimeOffset? absolute, TimeSpan sliding) =>
        absolute is { } a && a - now <= sliding ? a - now : sliding;

    /// <summary>
    /// The command that sets <paramref name="window"/> as the key's TTL, as StackExchange.Redis's KeyExpire sends it:
    /// EXPIRE in seconds when the window is whole seconds, PEXPIRE in milliseconds otherwise.
    /// </summary>
    public static (string Command, long Amount) ExpireCommand(TimeSpan window)
    {
        long milliseconds = window.Ticks / TimeSpan.TicksPerMillisecond;
        return milliseconds % 1000 == 0 ? ("EXPIRE", milliseconds / 1000) : ("PEXPIRE", milliseconds);
    }
}
