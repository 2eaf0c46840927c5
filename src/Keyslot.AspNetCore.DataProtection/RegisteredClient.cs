using Microsoft.Extensions.DependencyInjection;

namespace Keyslot.AspNetCore.DataProtection;

/// <summary>
/// Finds the application's registered client once, when the key manager's options are built, so a missing
/// registration fails there with a message that says what to register instead of at the first protect.
/// </summary>
internal static class RegisteredClient
{
    public static Func<IClusterClient> Default(IServiceProvider services)
    {
        IClusterClient client = services.GetService<IClusterClient>() ?? throw new InvalidOperationException(
            "PersistKeysToKeyslot() keeps the DataProtection key ring through the application's IClusterClient, but none is registered: "
            + "call services.AddKeyslot(...), or pass a client to PersistKeysToKeyslot(client).");
        return () => client;
    }

    public static Func<IClusterClient> Keyed(IServiceProvider services, object serviceKey)
    {
        IClusterClient client = services.GetKeyedService<IClusterClient>(serviceKey) ?? throw new InvalidOperationException(
            $"PersistKeysToKeyedKeyslot(\"{serviceKey}\") keeps the DataProtection key ring through the IClusterClient keyed '{serviceKey}', but none is registered: "
            + $"call services.AddKeyedKeyslot(\"{serviceKey}\", ...).");
        return () => client;
    }
}
