using Keyslot;

namespace Keyslot.DependencyInjection;

/// <summary>How the registered client connects: a configuration string, optionally adjusted in code.</summary>
public sealed class KeyslotOptions
{
    /// <summary>
    /// The configuration string (StackExchange.Redis syntax or a redis:// URI). For a named registration
    /// (<c>AddKeyedKeyslot("orders")</c>, <c>AddKeyslotFromConnectionString("cache")</c>) it defaults to
    /// <c>ConnectionStrings:&lt;name&gt;</c> of the application's configuration when not set.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Adjusts the parsed options in code (certificates, callbacks…); runs after the string is parsed.</summary>
    public Action<ClusterOptions>? Configure { get; set; }

    /// <summary>The connection string name whose value <see cref="Configuration"/> defaults to, for error messages.</summary>
    internal string? ConnectionName { get; set; }

    internal ClusterOptions Build()
    {
        if (string.IsNullOrWhiteSpace(Configuration))
        {
            throw new ArgumentException(ConnectionName is null
                ? "Keyslot needs a configuration string (Keyslot:Configuration), e.g. \"host:6379,ssl=true,password=…\"."
                : $"Keyslot needs a configuration string: ConnectionStrings:{ConnectionName} is not set in the application's configuration (nor Configuration in code), e.g. \"host:6379,ssl=true,password=…\".",
                nameof(Configuration));
        }
        ClusterOptions options = ClusterOptions.Parse(Configuration);
        Configure?.Invoke(options);
        options.Validate();
        return options;
    }
}
