using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>What every connection of a client needs, taken once from <see cref="ClusterOptions"/>.</summary>
internal sealed class ConnectionSettings
{
    public bool Ssl { get; init; }
    public string? SslHost { get; init; }
    public SslProtocols SslProtocols { get; init; }
    public bool CheckCertificateRevocation { get; init; } = true;
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }
    public X509Certificate2Collection TrustedIssuers { get; init; } = [];
    public string? User { get; init; }
    public string? Password { get; init; }
    /// <summary>The provider's credentials, when <see cref="ClusterOptions.CredentialProvider"/> is set; <see cref="User"/> and <see cref="Password"/> are then null.</summary>
    public CredentialCache? Credentials { get; init; }
    public string? ClientName { get; init; }
    public int Protocol { get; init; } = 3;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How long a connection is used before it is renewed; null: never.</summary>
    public TimeSpan? MaxConnectionAge { get; init; }
    public int MaxPendingCommands { get; init; } = 100_000;
    /// <summary>Broadcast tracking's prefixes for tracking connections; empty for the default mode.</summary>
    public string[] TrackingPrefixes { get; init; } = [];
    public RespLimits Limits { get; init; } = RespLimits.Default;

    private IssuedCredential? _fixed;

    /// <summary>
    /// When (Stopwatch ticks) a connection made at <paramref name="now"/> is due for renewal: its maximum age less a
    /// random 0-10%, so that connections made together do not all renew together; <see cref="long.MaxValue"/> without
    /// a maximum age.
    /// </summary>
    public long RenewalDeadline(long now)
    {
        if (MaxConnectionAge is not { } age) return long.MaxValue;
        double seconds = age.TotalSeconds * (1 - 0.1 * Random.Shared.NextDouble());
        return now + (long)(seconds * System.Diagnostics.Stopwatch.Frequency);
    }

    /// <summary>The fixed user and password as a credential (version 0, never refreshed); null without a password.</summary>
    public IssuedCredential? FixedCredential => Password is null ? null : _fixed ??= new IssuedCredential(new RedisCredential(User, Password, asConfigured: true), 0);

    /// <param name="options">The validated options.</param>
    /// <param name="logger">For the credential provider's refreshes, when one is set.</param>
    public static ConnectionSettings From(ClusterOptions options, Microsoft.Extensions.Logging.ILogger? logger = null) => new()
    {
        Credentials = options.CredentialProvider is { } provider
            ? new CredentialCache(provider, options.CredentialRefreshMargin, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            : null,
        Ssl = options.Ssl,
        SslHost = options.SslHost,
        SslProtocols = options.SslProtocols,
        CheckCertificateRevocation = options.CheckCertificateRevocation,
        CertificateValidation = options.CertificateValidation,
        TrustedIssuers = options.TrustedIssuers,
        User = options.User,
        Password = options.Password,
        ClientName = options.ClientName,
        Protocol = (int)options.Protocol,
        ConnectTimeout = options.ConnectTimeout,
        CommandTimeout = options.CommandTimeout,
        KeepAlive = options.KeepAlive,
        MaxConnectionAge = options.MaxConnectionAge,
        MaxPendingCommands = options.MaxPendingCommandsPerNode,
        Limits = RespLimits.ForMaxBulkLength(options.MaxBulkLength),
        TrackingPrefixes = [.. options.ClientCachePrefixes],
    };
}
