using System.Security.Authentication;

namespace Keyslot;

/// <summary>The whole-object checks behind <see cref="ClusterOptions.Validate"/>.</summary>
/// <remarks>Messages name the property (also as <see cref="ArgumentException.ParamName"/>) and never contain the password.</remarks>
internal static class ClusterOptionsValidator
{
    // Timers and cancellation sources take an int of milliseconds, so longer timeouts cannot be honoured.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(ConfigurationParser.MaxMilliseconds);

    private static readonly TimeSpan MinConnectionAge = TimeSpan.FromSeconds(1);

    private static readonly SslProtocols KnownSslProtocols =
        Enum.GetValues<SslProtocols>().Aggregate(SslProtocols.None, (all, p) => all | p);

    internal static void Validate(ClusterOptions o)
    {
        if (o.Endpoints.Count == 0)
        {
            throw Error(nameof(o.Endpoints), "At least one endpoint is required: any node of the cluster, or its configuration endpoint.");
        }
        if (o.Endpoints.Any(e => e.Host.Length == 0))
        {
            throw Error(nameof(o.Endpoints), "An endpoint has no host (a default NodeEndpoint was added).");
        }

        Positive(o.ConnectTimeout, nameof(o.ConnectTimeout));
        Positive(o.CommandTimeout, nameof(o.CommandTimeout));
        NonNegative(o.KeepAlive, nameof(o.KeepAlive), "zero disables keep-alive pings");
        if (o.MaxConnectionAge is { } age && (age < MinConnectionAge || age > MaxTimeout))
        {
            // Shorter than a second would renew connections faster than a handshake completes; null turns renewal off.
            throw Error(nameof(o.MaxConnectionAge), $"MaxConnectionAge must be from {MinConnectionAge} to {MaxTimeout}, or null to never renew connections, not {age}.");
        }
        NonNegative(o.TopologyRefreshInterval, nameof(o.TopologyRefreshInterval), "zero disables periodic refresh");
        NonNegative(o.MinTopologyRefreshInterval, nameof(o.MinTopologyRefreshInterval), "zero disables rate limiting");
        if (o.TopologyRefreshInterval > TimeSpan.Zero && o.MinTopologyRefreshInterval > o.TopologyRefreshInterval)
        {
            throw Error(nameof(o.MinTopologyRefreshInterval),
                $"MinTopologyRefreshInterval ({o.MinTopologyRefreshInterval}) must not exceed TopologyRefreshInterval ({o.TopologyRefreshInterval}).");
        }

        AtLeast(o.ConnectRetry, 0, nameof(o.ConnectRetry));
        AtLeast(o.MaxRedirects, 0, nameof(o.MaxRedirects));
        AtLeast(o.MaxPendingCommandsPerNode, 1, nameof(o.MaxPendingCommandsPerNode));
        AtLeast(o.BlockingConnectionsPerNode, 1, nameof(o.BlockingConnectionsPerNode));
        AtLeast(o.SynchronousConnectionsPerNode, 1, nameof(o.SynchronousConnectionsPerNode));
        AtLeast(o.SubscriptionBufferSize, 1, nameof(o.SubscriptionBufferSize));
        if (o.MaxBulkLength is < 1 or > int.MaxValue - 64)
        {
            throw Error(nameof(o.MaxBulkLength), $"MaxBulkLength must be between 1 byte and about 2 GiB, not {o.MaxBulkLength}.");
        }

        if (!Enum.IsDefined(o.Protocol))
        {
            throw Error(nameof(o.Protocol), $"Protocol must be Resp2 or Resp3, not {(int)o.Protocol}.");
        }
        if (!Enum.IsDefined(o.ReadPolicy))
        {
            throw Error(nameof(o.ReadPolicy), $"ReadPolicy {(int)o.ReadPolicy} is not a defined value.");
        }
        if ((o.SslProtocols & ~KnownSslProtocols) != 0)
        {
            throw Error(nameof(o.SslProtocols), $"SslProtocols contains unknown flags ({(int)o.SslProtocols}).");
        }

        if (o.ClientCacheSize < 0)
        {
            throw Error(nameof(o.ClientCacheSize), $"ClientCacheSize must be a size in bytes, or 0 for no client-side cache, not {o.ClientCacheSize}.");
        }
        if (o.ClientCacheSize > 0 && o.ClientCacheSize < ClientSideCache.CacheStore.MinimumCapacity)
        {
            throw Error(nameof(o.ClientCacheSize), $"ClientCacheSize must be at least {ClientSideCache.CacheStore.MinimumCapacity} bytes (or 0 for off), not {o.ClientCacheSize}.");
        }
        if (o.ClientCacheSize > 0 && o.Protocol != RespProtocolVersion.Resp3)
        {
            throw new RedisClientCacheConfigurationException(
                "The client-side cache (clientCache) needs RESP3: invalidations arrive as pushes on the tracking connection, which RESP2 cannot carry on it. Remove protocol=resp2 or turn the cache off.");
        }
        NonNegative(o.ClientCacheMaxAge, nameof(o.ClientCacheMaxAge), "zero sets no age bound");
        foreach (string prefix in o.ClientCachePrefixes)
        {
            if (prefix is null || prefix.Contains('|') || prefix.Contains(','))
            {
                throw Error(nameof(o.ClientCachePrefixes), $"A client-cache prefix may not be null nor contain '|' or ',' (they separate prefixes and items), not \"{prefix}\".");
            }
        }
        if (o.SslHost is not null && (o.SslHost.Length == 0 || o.SslHost.Any(char.IsWhiteSpace)))
        {
            throw Error(nameof(o.SslHost), "SslHost must be a host name without white space, or null.");
        }
        if (o.ClientName is not null && (o.ClientName.Length == 0 || o.ClientName.Any(c => c is < '!' or > '~')))
        {
            // CLIENT SETNAME accepts only printable ASCII without spaces; failing here beats failing every connection.
            throw Error(nameof(o.ClientName), "ClientName must be non-empty printable ASCII without spaces (CLIENT SETNAME rejects anything else), or be null.");
        }
        if (o.CredentialProvider is not null && (o.Password is not null || o.User is not null))
        {
            // Two sources of credentials would leave it unclear which one a connection used.
            throw Error(nameof(o.CredentialProvider),
                "CredentialProvider supplies the user and password of every connection; leave User and Password null when it is set (use one or the other).");
        }
        NonNegative(o.CredentialRefreshMargin, nameof(o.CredentialRefreshMargin), "zero refreshes a credential when it expires");
        if (o.User is not null && o.Password is null)
        {
            // Redis authenticates a named user only with a password; silently connecting as the default user would hide the mistake.
            throw Error(nameof(o.Password), "A Password is required when User is set (AUTH needs both).");
        }
        if (o.CertificateValidation is not null && o.TrustedIssuers.Count > 0)
        {
            throw Error(nameof(o.CertificateValidation),
                "CertificateValidation replaces certificate validation entirely, so TrustedIssuers would be ignored; use one or the other.");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > MaxTimeout)
        {
            throw Error(name, $"{name} must be greater than zero and at most {MaxTimeout} (int.MaxValue milliseconds), not {value}.");
        }
    }

    private static void NonNegative(TimeSpan value, string name, string zeroMeaning)
    {
        if (value < TimeSpan.Zero || value > MaxTimeout)
        {
            throw Error(name, $"{name} must be from zero ({zeroMeaning}) to {MaxTimeout}, not {value}.");
        }
    }

    private static void AtLeast(int value, int min, string name)
    {
        if (value < min)
        {
            throw Error(name, $"{name} must be at least {min}, not {value}.");
        }
    }

    private static ArgumentException Error(string paramName, string message) => new(message, paramName);
}
