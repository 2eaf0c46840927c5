using System.Globalization;
using System.Security.Authentication;
using System.Text;

namespace Keyslot;

/// <summary>Writes <see cref="ClusterOptions"/> back as a configuration string (see <see cref="ClusterOptions.ToString"/>).</summary>
/// <remarks>
/// Only settings that differ from the defaults are written, endpoints first, so the output stays short and
/// parsing it gives the same options. The password is always masked. Timeouts are written in whole
/// milliseconds (or seconds for <c>keepAlive</c>, <c>maxConnectionAge</c> and <c>topologyRefreshSeconds</c>), so finer values are rounded
/// down. Code-only settings (certificate callback, trusted issuers, logger factory) have no string form.
/// </remarks>
internal static class ConfigurationFormatter
{
    /// <summary>What <see cref="ClusterOptions.ToString"/> writes instead of the password.</summary>
    internal const string PasswordMask = "*****";

    private static readonly ClusterOptions Defaults = new();

    internal static string Format(ClusterOptions options)
    {
        var parts = new List<string>();
        foreach (NodeEndpoint endpoint in options.Endpoints)
        {
            parts.Add(endpoint.ToString());
        }

        void Add(string key, string value) => parts.Add($"{key}={value}");

        if (options.Ssl != Defaults.Ssl) Add(ConfigurationKeys.Ssl, Bool(options.Ssl));
        if (options.SslHost is not null) Add(ConfigurationKeys.SslHost, options.SslHost);
        if (options.SslProtocols != Defaults.SslProtocols) Add(ConfigurationKeys.SslProtocols, Protocols(options.SslProtocols));
        if (options.CheckCertificateRevocation != Defaults.CheckCertificateRevocation)
            Add(ConfigurationKeys.CheckCertificateRevocation, Bool(options.CheckCertificateRevocation));
        if (options.User is not null) Add(ConfigurationKeys.User, options.User);
        if (options.Password is not null) Add(ConfigurationKeys.Password, PasswordMask);
        if (options.ClientName is not null) Add(ConfigurationKeys.Name, options.ClientName);
        if (options.ConnectTimeout != Defaults.ConnectTimeout) Add(ConfigurationKeys.ConnectTimeout, Milliseconds(options.ConnectTimeout));
        if (options.CommandTimeout != Defaults.CommandTimeout) Add(ConfigurationKeys.CommandTimeout, Milliseconds(options.CommandTimeout));
        if (options.AbortOnConnectFail != Defaults.AbortOnConnectFail) Add(ConfigurationKeys.AbortConnect, Bool(options.AbortOnConnectFail));
        if (options.AllowAdmin != Defaults.AllowAdmin) Add(ConfigurationKeys.AllowAdmin, Bool(options.AllowAdmin));
        if (options.KeepAlive != Defaults.KeepAlive) Add(ConfigurationKeys.KeepAlive, Seconds(options.KeepAlive));
        if (options.MaxConnectionAge is { } age) Add(ConfigurationKeys.MaxConnectionAge, Seconds(age));
        if (options.ConnectRetry != Defaults.ConnectRetry) Add(ConfigurationKeys.ConnectRetry, Int(options.ConnectRetry));
        if (options.Protocol != Defaults.Protocol) Add(ConfigurationKeys.Protocol, options.Protocol == RespProtocolVersion.Resp2 ? "resp2" : Int((int)options.Protocol));
        if (options.MaxRedirects != Defaults.MaxRedirects) Add(ConfigurationKeys.MaxRedirects, Int(options.MaxRedirects));
        if (options.TopologyRefreshInterval != Defaults.TopologyRefreshInterval)
            Add(ConfigurationKeys.TopologyRefreshSeconds, Seconds(options.TopologyRefreshInterval));
        if (options.MinTopologyRefreshInterval != Defaults.MinTopologyRefreshInterval)
            Add(ConfigurationKeys.MinTopologyRefreshMs, Milliseconds(options.MinTopologyRefreshInterval));
        if (options.SubscriptionBufferSize != Defaults.SubscriptionBufferSize)
            Add(ConfigurationKeys.SubscriptionBuffer, Int(options.SubscriptionBufferSize));
        if (options.BlockingConnectionsPerNode != Defaults.BlockingConnectionsPerNode)
            Add(ConfigurationKeys.BlockingConnectionsPerNode, Int(options.BlockingConnectionsPerNode));
        if (options.SynchronousConnectionsPerNode != Defaults.SynchronousConnectionsPerNode)
            Add(ConfigurationKeys.SynchronousConnectionsPerNode, Int(options.SynchronousConnectionsPerNode));
        if (options.MaxPendingCommandsPerNode != Defaults.MaxPendingCommandsPerNode)
            Add(ConfigurationKeys.MaxPendingPerNode, Int(options.MaxPendingCommandsPerNode));
        if (options.ConnectEagerly != Defaults.ConnectEagerly) Add(ConfigurationKeys.ConnectEagerly, Bool(options.ConnectEagerly));
        if (options.MaxBulkLength != Defaults.MaxBulkLength) Add(ConfigurationKeys.MaxBulkLength, options.MaxBulkLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (options.ReadPolicy != Defaults.ReadPolicy) Add(ConfigurationKeys.ReadFrom, ReadFrom(options.ReadPolicy));
        if (options.ClientAvailabilityZone is { } zone) Add(ConfigurationKeys.ClientAz, zone);
        if (options.RetryIdempotentWrites != Defaults.RetryIdempotentWrites)
            Add(ConfigurationKeys.RetryIdempotentWrites, Bool(options.RetryIdempotentWrites));
        if (options.ClientCacheSize != Defaults.ClientCacheSize) Add(ConfigurationKeys.ClientCache, Size(options.ClientCacheSize));
        if (options.ClientCacheMaxAge != Defaults.ClientCacheMaxAge) Add(ConfigurationKeys.ClientCacheMaxAge, Milliseconds(options.ClientCacheMaxAge));
        if (options.ClientCachePrefixes.Count > 0) Add(ConfigurationKeys.ClientCachePrefixes, string.Join('|', options.ClientCachePrefixes));

        return string.Join(',', parts);
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A size with the largest 1024-based suffix that divides it exactly (64mb, not 67108864).</summary>
    private static string Size(long bytes)
    {
        if (bytes == 0) return "0";
        if (bytes % (1L << 30) == 0) return Int(bytes >> 30) + "gb";
        if (bytes % (1L << 20) == 0) return Int(bytes >> 20) + "mb";
        if (bytes % (1L << 10) == 0) return Int(bytes >> 10) + "kb";
        return Int(bytes);
    }

    private static string Milliseconds(TimeSpan value) => Int(value.Ticks / TimeSpan.TicksPerMillisecond);

    private static string Seconds(TimeSpan value) => Int(value.Ticks / TimeSpan.TicksPerSecond);

    // Enum.ToString joins flags with ", "; the configuration string uses '|' because ',' separates items.
    private static string Protocols(SslProtocols value) => value.ToString().Replace(", ", "|", StringComparison.Ordinal);

    private static string ReadFrom(ReadPolicy policy)
    {
        string name = policy.ToString();
        var builder = new StringBuilder(name);
        builder[0] = char.ToLowerInvariant(builder[0]); // camelCase, as documented for readFrom
        return builder.ToString();
    }
}
