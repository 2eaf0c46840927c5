namespace Keyslot.Extensions.Caching;

/// <summary>Options of the <see cref="KeyslotCache"/> registered by <c>AddKeyslotDistributedCache</c>.</summary>
public sealed class KeyslotCacheOptions
{
    /// <summary>
    /// A prefix put before every cache key (<c>"myapp:"</c> stores the entry <c>cart</c> as <c>myapp:cart</c>), so
    /// several applications can share one cluster; null or empty for none. As in RedisCache it is prepended as is:
    /// include your own separator. It must not contain a hash tag (<c>{…}</c>): that would put every entry in one slot,
    /// on one node.
    /// </summary>
    public string? InstanceName { get; set; }

    /// <summary>
    /// The service key of the <see cref="IClusterClient"/> to use, as registered with <c>AddKeyedKeyslot("orders")</c>;
    /// null (the default) for the application's default client registered with <c>AddKeyslot(…)</c>.
    /// </summary>
    public string? ClientServiceKey { get; set; }
}
