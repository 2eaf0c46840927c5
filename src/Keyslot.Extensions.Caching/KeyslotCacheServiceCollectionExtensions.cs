using Keyslot;
using Keyslot.Extensions.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="KeyslotCache"/> as the application's <see cref="IDistributedCache"/> and
/// <see cref="IBufferDistributedCache"/> (replacing any registered before, such as the in-memory one), over the
/// application's shared <see cref="IClusterClient"/>: the default one of <c>AddKeyslot(…)</c>, or a keyed one of
/// <c>AddKeyedKeyslot(name)</c>. <c>services.AddHybridCache()</c> then uses it as its second level. Options are
/// validated when the host starts.
/// </summary>
public static class KeyslotCacheServiceCollectionExtensions
{
    /// <summary>Registers the distributed cache over the client chosen by <see cref="KeyslotCacheOptions.ClientServiceKey"/> (default: the default client).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options: <see cref="KeyslotCacheOptions.InstanceName"/>, <see cref="KeyslotCacheOptions.ClientServiceKey"/>.</param>
    public static IServiceCollection AddKeyslotDistributedCache(this IServiceCollection services, Action<KeyslotCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<KeyslotCacheOptions> options = services.AddOptions<KeyslotCacheOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyslotCacheOptions>, KeyslotCacheOptionsValidator>());
        services.TryAddSingleton(static sp =>
        {
            KeyslotCacheOptions o = sp.GetRequiredService<IOptions<KeyslotCacheOptions>>().Value;
            IClusterClient client = o.ClientServiceKey is { } key ? sp.GetRequiredKeyedService<IClusterClient>(key) : sp.GetRequiredService<IClusterClient>();
            return new KeyslotCache(client, o.InstanceName);
        });
        services.Replace(ServiceDescriptor.Singleton<IDistributedCache>(static sp => sp.GetRequiredService<KeyslotCache>()));
        services.Replace(ServiceDescriptor.Singleton<IBufferDistributedCache>(static sp => sp.GetRequiredService<KeyslotCache>()));
        return services;
    }

    /// <summary>
    /// Registers the distributed cache over the keyed client <paramref name="clientServiceKey"/>
    /// (<c>AddKeyedKeyslot("sessions")</c>), for applications with several clusters.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="clientServiceKey">The keyed client's name.</param>
    /// <param name="configure">Sets further options, such as <see cref="KeyslotCacheOptions.InstanceName"/>.</param>
    public static IServiceCollection AddKeyslotDistributedCache(this IServiceCollection services, string clientServiceKey, Action<KeyslotCacheOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientServiceKey);
        return services.AddKeyslotDistributedCache(options =>
        {
            options.ClientServiceKey = clientServiceKey;
            configure?.Invoke(options);
        });
    }
}
