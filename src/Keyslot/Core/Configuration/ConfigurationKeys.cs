namespace Keyslot;

/// <summary>
/// The keys of a Keyslot configuration string (matched case-insensitively), for building strings in code.
/// </summary>
/// <remarks>
/// The StackExchange.Redis keys keep their meaning; the Keyslot keys are <see cref="MaxRedirects"/>,
/// <see cref="TopologyRefreshSeconds"/>, <see cref="MinTopologyRefreshMs"/>, <see cref="MaxPendingPerNode"/>,
/// <see cref="ReadFrom"/>, <see cref="RetryIdempotentWrites"/>, <see cref="MaxConnectionAge"/>, <see cref="ConnectEagerly"/>, <see cref="MaxBulkLength"/>
/// and <see cref="CommandTimeout"/>.
/// StackExchange.Redis keys that mean nothing to a cluster client are accepted and ignored: see
/// <see cref="IgnoredKeys"/>.
/// </remarks>
public static class ConfigurationKeys
{
    /// <summary><c>abortConnect</c> (bool): <see cref="ClusterOptions.AbortOnConnectFail"/>.</summary>
    public const string AbortConnect = "abortConnect";

    /// <summary><c>allowAdmin</c> (bool): <see cref="ClusterOptions.AllowAdmin"/>.</summary>
    public const string AllowAdmin = "allowAdmin";

    /// <summary><c>asyncTimeout</c> (milliseconds): <see cref="ClusterOptions.CommandTimeout"/>.</summary>
    public const string AsyncTimeout = "asyncTimeout";

    /// <summary><c>syncTimeout</c> (milliseconds): <see cref="ClusterOptions.CommandTimeout"/>.</summary>
    public const string SyncTimeout = "syncTimeout";

    /// <summary><c>timeout</c> (milliseconds): <see cref="ClusterOptions.CommandTimeout"/>.</summary>
    public const string Timeout = "timeout";

    /// <summary><c>responseTimeout</c> (milliseconds; legacy StackExchange.Redis key): <see cref="ClusterOptions.CommandTimeout"/>.</summary>
    public const string ResponseTimeout = "responseTimeout";

    /// <summary><c>commandTimeout</c> (milliseconds): <see cref="ClusterOptions.CommandTimeout"/>.</summary>
    public const string CommandTimeout = "commandTimeout";

    /// <summary><c>checkCertificateRevocation</c> (bool): <see cref="ClusterOptions.CheckCertificateRevocation"/>.</summary>
    public const string CheckCertificateRevocation = "checkCertificateRevocation";

    /// <summary><c>connectRetry</c> (count): <see cref="ClusterOptions.ConnectRetry"/>.</summary>
    public const string ConnectRetry = "connectRetry";

    /// <summary><c>connectTimeout</c> (milliseconds): <see cref="ClusterOptions.ConnectTimeout"/>.</summary>
    public const string ConnectTimeout = "connectTimeout";

    /// <summary><c>keepAlive</c> (seconds; 0 disables): <see cref="ClusterOptions.KeepAlive"/>.</summary>
    public const string KeepAlive = "keepAlive";

    /// <summary><c>maxConnectionAge</c> (seconds, at least 1): <see cref="ClusterOptions.MaxConnectionAge"/>.</summary>
    public const string MaxConnectionAge = "maxConnectionAge";

    /// <summary><c>name</c>: <see cref="ClusterOptions.ClientName"/>.</summary>
    public const string Name = "name";

    /// <summary><c>password</c>: <see cref="ClusterOptions.Password"/>.</summary>
    public const string Password = "password";

    /// <summary><c>user</c>: <see cref="ClusterOptions.User"/>.</summary>
    public const string User = "user";

    /// <summary><c>ssl</c> (bool): <see cref="ClusterOptions.Ssl"/>.</summary>
    public const string Ssl = "ssl";

    /// <summary><c>sslHost</c>: <see cref="ClusterOptions.SslHost"/>.</summary>
    public const string SslHost = "sslHost";

    /// <summary><c>sslProtocols</c> (e.g. <c>Tls12|Tls13</c>): <see cref="ClusterOptions.SslProtocols"/>.</summary>
    public const string SslProtocols = "sslProtocols";

    /// <summary><c>protocol</c> (<c>resp2</c>, <c>resp3</c>, <c>2</c> or <c>3</c>): <see cref="ClusterOptions.Protocol"/>.</summary>
    public const string Protocol = "protocol";

    /// <summary><c>defaultDatabase</c>: only <c>0</c> is accepted, because a cluster has only database 0.</summary>
    public const string DefaultDatabase = "defaultDatabase";

    /// <summary><c>maxRedirects</c> (count): <see cref="ClusterOptions.MaxRedirects"/>.</summary>
    public const string MaxRedirects = "maxRedirects";

    /// <summary><c>topologyRefreshSeconds</c> (seconds; 0 disables): <see cref="ClusterOptions.TopologyRefreshInterval"/>.</summary>
    public const string TopologyRefreshSeconds = "topologyRefreshSeconds";

    /// <summary><c>minTopologyRefreshMs</c> (milliseconds): <see cref="ClusterOptions.MinTopologyRefreshInterval"/>.</summary>
    public const string MinTopologyRefreshMs = "minTopologyRefreshMs";

    /// <summary><c>maxPendingPerNode</c> (count): <see cref="ClusterOptions.MaxPendingCommandsPerNode"/>.</summary>
    public const string MaxPendingPerNode = "maxPendingPerNode";

    /// <summary><c>blockingConnectionsPerNode</c> (count): <see cref="ClusterOptions.BlockingConnectionsPerNode"/>.</summary>
    public const string BlockingConnectionsPerNode = "blockingConnectionsPerNode";

    /// <summary><c>synchronousConnectionsPerNode</c> (count): <see cref="ClusterOptions.SynchronousConnectionsPerNode"/>.</summary>
    public const string SynchronousConnectionsPerNode = "synchronousConnectionsPerNode";

    /// <summary><c>subscriptionBuffer</c> (count): <see cref="ClusterOptions.SubscriptionBufferSize"/>.</summary>
    public const string SubscriptionBuffer = "subscriptionBuffer";

    /// <summary><c>connectEagerly</c> (bool): <see cref="ClusterOptions.ConnectEagerly"/>.</summary>
    public const string ConnectEagerly = "connectEagerly";

    /// <summary><c>maxBulkLength</c> (bytes): <see cref="ClusterOptions.MaxBulkLength"/>.</summary>
    public const string MaxBulkLength = "maxBulkLength";

    /// <summary><c>readFrom</c> (<c>primary</c>, <c>preferReplica</c>, <c>replica</c>, <c>lowestLatency</c>): <see cref="ClusterOptions.ReadPolicy"/>.</summary>
    public const string ReadFrom = "readFrom";

    /// <summary><c>clientAz</c> (text): <see cref="ClusterOptions.ClientAvailabilityZone"/>.</summary>
    public const string ClientAz = "clientAz";

    /// <summary><c>retryIdempotentWrites</c> (bool): <see cref="ClusterOptions.RetryIdempotentWrites"/>.</summary>
    public const string RetryIdempotentWrites = "retryIdempotentWrites";

    /// <summary><c>clientCache</c> (size: bytes, or with a <c>kb</c>, <c>mb</c> or <c>gb</c> suffix, 1024-based): <see cref="ClusterOptions.ClientCacheSize"/>.</summary>
    public const string ClientCache = "clientCache";

    /// <summary><c>clientCacheMaxAge</c> (milliseconds; 0 = no bound): <see cref="ClusterOptions.ClientCacheMaxAge"/>.</summary>
    public const string ClientCacheMaxAge = "clientCacheMaxAge";

    /// <summary><c>clientCachePrefixes</c> (prefixes separated by <c>|</c>): <see cref="ClusterOptions.ClientCachePrefixes"/>, broadcast tracking.</summary>
    public const string ClientCachePrefixes = "clientCachePrefixes";

    /// <summary>
    /// StackExchange.Redis keys accepted for compatibility and ignored, because they mean nothing to a cluster
    /// client: <c>tiebreaker</c>, <c>configChannel</c>, <c>configCheckSeconds</c>, <c>channelPrefix</c>,
    /// <c>version</c>, <c>setlib</c>, <c>resolveDns</c>, <c>highIntegrity</c>, <c>heartbeatInterval</c>,
    /// <c>heartbeatConsistencyChecks</c>, <c>tcpKeepAlive</c>, <c>writeBuffer</c> and <c>defaults</c>; also
    /// <c>proxy=None</c> and command-map entries such as <c>$CONFIG=</c> or <c>$INFO=info2</c>.
    /// </summary>
    /// <remarks>
    /// Their values are not checked. Command-map entries are ignored too, so a server that renamed a command the
    /// client needs (such as <c>CLUSTER</c>) fails at connect time rather than at parse time. Keys that would
    /// silently change behaviour if ignored are rejected instead: <c>serviceName</c> (Sentinel),
    /// <c>proxy=Twemproxy</c>/<c>proxy=Envoyproxy</c> and <c>tunnel</c>.
    /// </remarks>
    public static IReadOnlyList<string> IgnoredKeys { get; } =
    [
        "tiebreaker", "configChannel", "configCheckSeconds", "channelPrefix", "version", "setlib", "resolveDns",
        "highIntegrity", "heartbeatInterval", "heartbeatConsistencyChecks", "tcpKeepAlive", "writeBuffer", "defaults",
    ];

    /// <summary><c>proxy</c>: only <c>None</c> is accepted (and ignored); proxies are not cluster mode.</summary>
    internal const string Proxy = "proxy";

    /// <summary><c>serviceName</c>: always rejected (Sentinel is not cluster mode).</summary>
    internal const string ServiceName = "serviceName";

    /// <summary><c>tunnel</c>: always rejected (HTTP CONNECT tunnels are not supported).</summary>
    internal const string Tunnel = "tunnel";
}
