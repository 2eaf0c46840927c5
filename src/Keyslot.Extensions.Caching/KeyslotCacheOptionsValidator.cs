using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Keyslot.Extensions.Caching;

/// <summary>
/// Checks at host start that the instance name is usable and that the client the cache is to use is registered, so a
/// misconfiguration fails the deploy instead of the first cache read.
/// </summary>
internal sealed class KeyslotCacheOptionsValidator(IServiceProvider services) : IValidateOptions<KeyslotCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyslotCacheOptions options)
    {
        var failures = new List<string>();
        if (InstanceNames.Problem(options.InstanceName) is { } problem)
        {
            failures.Add($"{nameof(KeyslotCacheOptions)}.{nameof(KeyslotCacheOptions.InstanceName)}: {problem}");
        }
        if (options.ClientServiceKey is { } key)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                failures.Add($"{nameof(KeyslotCacheOptions)}.{nameof(KeyslotCacheOptions.ClientServiceKey)} is empty: set it to the name given to AddKeyedKeyslot, or null for the default client.");
            }
            else if (services.GetService<IServiceProviderIsKeyedService>() is { } keyed && !keyed.IsKeyedService(typeof(IClusterClient), key))
            {
                failures.Add($"{nameof(KeyslotCacheOptions)}.{nameof(KeyslotCacheOptions.ClientServiceKey)} is '{key}', but no IClusterClient is registered with that key: call services.AddKeyedKeyslot(\"{key}\").");
            }
        }
        else if (services.GetService<IServiceProviderIsService>() is { } registered && !registered.IsService(typeof(IClusterClient)))
        {
            failures.Add("The distributed cache uses the default IClusterClient, but none is registered: call services.AddKeyslot(…), or set ClientServiceKey to a keyed client's name.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
