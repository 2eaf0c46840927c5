using Keyslot;
using Keyslot.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.DataProtection;

/// <summary>
/// Keeps the DataProtection key ring in a Redis Cluster through Keyslot:
/// <c>services.AddDataProtection().PersistKeysToKeyslot()</c> with the application's <see cref="IClusterClient"/>
/// (<c>services.AddKeyslot(...)</c>), <c>.PersistKeysToKeyedKeyslot("orders")</c> with a keyed one, or
/// <c>.PersistKeysToKeyslot(client)</c> with one of your own. The ring is stored as
/// <c>PersistKeysToStackExchangeRedis</c> stores it (see <see cref="KeyslotXmlRepository"/>), at the same default key.
/// </summary>
public static class KeyslotDataProtectionBuilderExtensions
{
    /// <summary>The default Redis key of the key ring list: <c>DataProtection-Keys</c>, Microsoft's default too.</summary>
    public const string DefaultKey = "DataProtection-Keys";

    /// <summary>Persists the key ring to the list at <paramref name="key"/> through <paramref name="client"/>.</summary>
    /// <param name="builder">The DataProtection builder.</param>
    /// <param name="client">The client to the cluster that holds the key ring.</param>
    /// <param name="key">The Redis key of the list (default <c>DataProtection-Keys</c>).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null, empty or white space.</exception>
    public static IDataProtectionBuilder PersistKeysToKeyslot(this IDataProtectionBuilder builder, IClusterClient client, string key = DefaultKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(client);
        return builder.PersistKeysToKeyslot(() => client, key);
    }

    /// <summary>Persists the key ring to the list at <paramref name="key"/> through the client <paramref name="clientFactory"/> gives on each read or write.</summary>
    /// <param name="builder">The DataProtection builder.</param>
    /// <param name="clientFactory">Gives the client to the cluster that holds the key ring.</param>
    /// <param name="key">The Redis key of the list.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null, empty or white space.</exception>
    public static IDataProtectionBuilder PersistKeysToKeyslot(this IDataProtectionBuilder builder, Func<IClusterClient> clientFactory, string key)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The repository checks its arguments too; made here, a bad key fails at registration, not at first use.
        var repository = new KeyslotXmlRepository(clientFactory, key);
        builder.Services.Configure<KeyManagementOptions>(options => options.XmlRepository = repository);
        return builder;
    }

    /// <summary>
    /// Persists the key ring to the list at <paramref name="key"/> through the application's registered
    /// <see cref="IClusterClient"/> (<c>services.AddKeyslot(...)</c>), resolved when the key manager's options are built.
    /// </summary>
    /// <param name="builder">The DataProtection builder.</param>
    /// <param name="key">The Redis key of the list (default <c>DataProtection-Keys</c>).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null, empty or white space.</exception>
    public static IDataProtectionBuilder PersistKeysToKeyslot(this IDataProtectionBuilder builder, string key = DefaultKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, services) =>
            options.XmlRepository = new KeyslotXmlRepository(RegisteredClient.Default(services), key));
        return builder;
    }

    /// <summary>
    /// Persists the key ring to the list at <paramref name="key"/> through the keyed <see cref="IClusterClient"/>
    /// registered under <paramref name="serviceKey"/> (<c>services.AddKeyedKeyslot("orders")</c>).
    /// </summary>
    /// <param name="builder">The DataProtection builder.</param>
    /// <param name="serviceKey">The client's service key.</param>
    /// <param name="key">The Redis key of the list (default <c>DataProtection-Keys</c>).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null, empty or white space.</exception>
    public static IDataProtectionBuilder PersistKeysToKeyedKeyslot(this IDataProtectionBuilder builder, object serviceKey, string key = DefaultKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, services) =>
            options.XmlRepository = new KeyslotXmlRepository(RegisteredClient.Keyed(services, serviceKey), key));
        return builder;
    }
}
