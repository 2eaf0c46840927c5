using Keyslot;

namespace Keyslot.DependencyInjection;

/// <summary>How the registered client connects: a configuration string, optionally adjusted in code.</summary>
public sealed class KeyslotOptions
{
    /// <summary>The configuration string (StackExchange.Redis syntax or a redis:// URI).</summary>
    public string? Configuration { get; set; }

    /// <summary>Adjusts the parsed options in code (certificates, callbacks…); runs after the string is parsed.</summary>
    public Action<ClusterOptions>? Configure { get; set; }

    internal ClusterOptions Build()
    {
        if (string.IsNullOrWhiteSpace(Configuration))
        {
            throw new ArgumentException("Keyslot needs a configuration string (Keyslot:Configuration), e.g. \"host:6379,ssl=true,password=…\".", nameof(Configuration));
        }
        ClusterOptions options = ClusterOptions.Parse(Configuration);
        Configure?.Invoke(options);
        options.Validate();
        return options;
    }
}
