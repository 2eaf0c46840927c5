using Keyslot;
using Keyslot.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers shared <see cref="IClusterClient"/>s for the application's lifetime: one default client
/// (<c>AddKeyslot</c>, <c>AddKeyslotFromConnectionString</c>) and any number of named ones for other clusters as
/// keyed services (<c>AddKeyedKeyslot("orders")</c>, injected as <c>[FromKeyedServices("orders")] IClusterClient</c>).
/// Options are validated when the host starts; each client is created on first resolution without waiting and
/// connects in the background (commands wait for the slot map within their timeout); it uses the application's
/// <see cref="ILoggerFactory"/>. The container closes the clients' connections when it is disposed, asynchronously
/// or synchronously (then waiting at most 10 seconds).
/// </summary>
/// <remarks>
/// A string argument of <c>AddKeyslot</c> is always a configuration string (<c>"host:6379,ssl=true"</c>), never a
/// name: a name alone could equally be a host name. To read <c>ConnectionStrings:&lt;name&gt;</c>, say so:
/// <c>AddKeyslotFromConnectionString("cache")</c> for the default client, <c>AddKeyedKeyslot("orders")</c> for a
/// keyed one.
/// </remarks>
public static class KeyslotServiceCollectionExtensions
{
    /// <summary>Registers the default client configured by a configuration string, e.g. <c>clustercfg.my-cache…:6379,ssl=true,user=app,password=…</c>.</summary>
    public static IServiceCollection AddKeyslot(this IServiceCollection services, string configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return services.AddKeyslot(options => options.Configuration = configuration);
    }

    /// <summary>
    /// Registers the default client configured from a configuration section: either a plain string value
    /// (<c>"Keyslot": "host:6379,ssl=true"</c>) or an object with a <c>Configuration</c> string and any
    /// <see cref="KeyslotOptions"/> properties.
    /// </summary>
    public static IServiceCollection AddKeyslot(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        return services.AddKeyslot(BindSection(section));
    }

    /// <summary>Registers the default client configured by a callback.</summary>
    public static IServiceCollection AddKeyslot(this IServiceCollection services, Action<KeyslotOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<KeyslotOptions>().Configure(configure).ValidateOnStart();
        AddDefaultClient(services);
        return services;
    }

    /// <summary>
    /// Registers the default client configured by the connection string <paramref name="connectionName"/> of the
    /// application's <see cref="IConfiguration"/> (<c>ConnectionStrings:cache</c> for <c>"cache"</c>, as
    /// <c>appsettings.json</c>, environment variables such as <c>ConnectionStrings__cache</c> or Aspire set it).
    /// A missing connection string fails startup validation, naming it.
    /// </summary>
    public static IServiceCollection AddKeyslotFromConnectionString(this IServiceCollection services, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        OptionsBuilder<KeyslotOptions> options = services.AddOptions<KeyslotOptions>();
        DefaultToConnectionString(options, connectionName);
        options.ValidateOnStart();
        AddDefaultClient(services);
        return services;
    }

    /// <summary>
    /// Registers a client for the cluster named <paramref name="name"/> as a keyed service (key
    /// <paramref name="name"/>), configured by the connection string <c>ConnectionStrings:&lt;name&gt;</c> of the
    /// application's <see cref="IConfiguration"/>. Inject it with <c>[FromKeyedServices("orders")] IClusterClient</c>
    /// or resolve it with <c>GetRequiredKeyedService&lt;IClusterClient&gt;("orders")</c>. Each name is its own client
    /// with its own connections; a missing connection string fails startup validation, naming it.
    /// </summary>
    public static IServiceCollection AddKeyedKeyslot(this IServiceCollection services, string name) =>
        services.AddKeyedKeyslot(name, static _ => { });

    /// <summary>
    /// Registers a keyed client for the cluster named <paramref name="name"/> configured from a configuration
    /// section (a plain string value, or an object with <c>Configuration</c> and other <see cref="KeyslotOptions"/>
    /// properties); without a <c>Configuration</c> there, <c>ConnectionStrings:&lt;name&gt;</c> is used.
    /// </summary>
    public static IServiceCollection AddKeyedKeyslot(this IServiceCollection services, string name, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddKeyedKeyslot(name, BindSection(section));
    }

    /// <summary>
    /// Registers a keyed client for the cluster named <paramref name="name"/> configured by a callback; when the
    /// callback sets no <see cref="KeyslotOptions.Configuration"/>, <c>ConnectionStrings:&lt;name&gt;</c> is used.
    /// </summary>
    public static IServiceCollection AddKeyedKeyslot(this IServiceCollection services, string name, Action<KeyslotOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        OptionsBuilder<KeyslotOptions> options = services.AddOptions<KeyslotOptions>(name).Configure(configure);
        DefaultToConnectionString(options, name);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyslotOptions>, KeyslotOptionsValidator>());
        services.TryAddKeyedSingleton(name, static (sp, key) => new ClusterClientProvider(
            sp.GetRequiredService<IOptionsMonitor<KeyslotOptions>>().Get((string)key!), sp.GetService<ILoggerFactory>()));
        services.TryAddKeyedSingleton<IClusterClient>(name, static (sp, key) => sp.GetRequiredKeyedService<ClusterClientProvider>(key).GetClient());
        return services;
    }

    private static void AddDefaultClient(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyslotOptions>, KeyslotOptionsValidator>());
        services.TryAddSingleton(static sp => new ClusterClientProvider(sp.GetRequiredService<IOptions<KeyslotOptions>>().Value, sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IClusterClient>(static sp => sp.GetRequiredService<ClusterClientProvider>().GetClient());
    }

    private static Action<KeyslotOptions> BindSection(IConfiguration section) => options =>
    {
        if (section is IConfigurationSection { Value: { Length: > 0 } text })
        {
            options.Configuration = text;
        }
        section.Bind(options);
    };

    /// <summary>
    /// After every Configure: a Configuration still unset comes from <c>ConnectionStrings:&lt;connectionName&gt;</c> of
    /// the container's <see cref="IConfiguration"/> (when one is registered, as every host does).
    /// </summary>
    private static void DefaultToConnectionString(OptionsBuilder<KeyslotOptions> options, string connectionName) =>
        options.PostConfigure<IServiceProvider>((o, sp) =>
        {
            o.ConnectionName ??= connectionName;
            if (string.IsNullOrWhiteSpace(o.Configuration) && sp.GetService<IConfiguration>() is { } configuration)
            {
                o.Configuration = configuration.GetConnectionString(connectionName);
            }
        });
}
