using Keyslot;
using Keyslot.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers one shared <see cref="IClusterClient"/> for the application's lifetime. Options are validated when the
/// host starts; the client is created on first resolution without waiting and connects in the background (commands
/// wait for the slot map within their timeout); it uses the application's <see cref="ILoggerFactory"/>.
/// </summary>
public static class KeyslotServiceCollectionExtensions
{
    /// <summary>Registers a client configured by a configuration string, e.g. <c>clustercfg.my-cache…:6379,ssl=true,user=app,password=…</c>.</summary>
    public static IServiceCollection AddKeyslot(this IServiceCollection services, string configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return services.AddKeyslot(options => options.Configuration = configuration);
    }

    /// <summary>
    /// Registers a client configured from a configuration section: either a plain string value
    /// (<c>"Keyslot": "host:6379,ssl=true"</c>) or an object with a <c>Configuration</c> string and any
    /// <see cref="KeyslotOptions"/> properties.
    /// </summary>
    public static IServiceCollection AddKeyslot(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        return services.AddKeyslot(options =>
        {
            if (section is IConfigurationSection { Value: { Length: > 0 } text })
            {
                options.Configuration = text;
            }
            section.Bind(options);
        });
    }

    /// <summary>Registers a client configured by a callback.</summary>
    public static IServiceCollection AddKeyslot(this IServiceCollection services, Action<KeyslotOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<KeyslotOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyslotOptions>, KeyslotOptionsValidator>());
        services.TryAddSingleton<ClusterClientProvider>();
        services.TryAddSingleton<IClusterClient>(static sp => sp.GetRequiredService<ClusterClientProvider>().GetClient());
        return services;
    }
}
