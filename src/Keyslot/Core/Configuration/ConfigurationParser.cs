using System.Globalization;
using System.Security.Authentication;

namespace Keyslot;

/// <summary>
/// Reads StackExchange.Redis-style configuration strings (<c>host:port,key=value,...</c>) into
/// <see cref="ClusterOptions"/>; <c>redis://</c> and <c>rediss://</c> URIs are handed to <see cref="RedisUriParser"/>.
/// </summary>
/// <remarks>
/// Rules, as in StackExchange.Redis: items are separated by ',' and trimmed; empty items are skipped; an item
/// without '=' is an endpoint; otherwise it is split at the first '=' (so values may contain '=') and the key is
/// matched case-insensitively; when a key repeats, the last value wins. Values cannot contain ',' — not even
/// passwords, which StackExchange.Redis does not support either; use a URI with a percent-encoded password
/// instead. Values are trimmed, so leading or trailing spaces of a password are lost the same way.
/// Every value is checked for format and range here so the error can name the key; cross-property rules (such as
/// "at least one endpoint") are left to <see cref="ClusterOptions.Validate"/>, so a parsed string can still be
/// completed in code. Error messages never contain a password.
/// </remarks>
internal static class ConfigurationParser
{
    private const string ParamName = "configuration";

    /// <summary>The largest timeout accepted: timers and cancellation take an <see cref="int"/> of milliseconds.</summary>
    internal const int MaxMilliseconds = int.MaxValue;

    private const int MaxSeconds = MaxMilliseconds / 1000;

    private delegate void Setter(ClusterOptions options, string value, ParseState state);

    private sealed record Setting(string Key, Setter Apply);

    private static readonly Dictionary<string, Setting> Settings = BuildSettings();

    private static readonly HashSet<string> Ignored = new(ConfigurationKeys.IgnoredKeys, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every key the parser accepts, for error messages.</summary>
    internal static string AcceptedKeysText { get; } =
        string.Join(", ", Settings.Values.Select(s => s.Key)
            .Where(k => k is not (ConfigurationKeys.ServiceName or ConfigurationKeys.Tunnel or ConfigurationKeys.Proxy))
            .Order(StringComparer.OrdinalIgnoreCase))
        + "; accepted and ignored for StackExchange.Redis compatibility: "
        + string.Join(", ", ConfigurationKeys.IgnoredKeys) + ", proxy=None and $COMMAND=... command-map entries";

    /// <summary>Parses a configuration string or <c>redis://</c>/<c>rediss://</c> URI.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    /// <exception cref="ArgumentException">An item is malformed, unknown or unsupported.</exception>
    internal static ClusterOptions Parse(string configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration, ParamName);
        string text = configuration.Trim();
        if (RedisUriParser.IsRedisUri(text))
        {
            return RedisUriParser.Parse(text);
        }

        var options = new ClusterOptions();
        string[] items = text.Split(',');
        // A password containing ',' is split into extra items that look like endpoints; never echo those.
        var state = new ParseState(hideEndpointText: items.Any(IsPasswordItem));
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i].Trim();
            if (item.Length == 0)
            {
                continue;
            }
            int equals = item.IndexOf('=', StringComparison.Ordinal);
            state.Position = i + 1;
            if (equals < 0)
            {
                AddEndpoint(options, item, i + 1, state);
            }
            else
            {
                string key = item[..equals].Trim();
                Apply(options, key, item[(equals + 1)..].Trim(), state);
                // What follows a password may be the rest of it (a ',' inside it splits it into items): from here on an
                // error names neither the key nor the value of the item it is about.
                if (key.Equals(ConfigurationKeys.Password, StringComparison.OrdinalIgnoreCase)) state.AfterPassword = true;
            }
        }
        return options;
    }

    /// <summary>Applies one <c>key=value</c> setting (also used for URI query parameters).</summary>
    internal static void Apply(ClusterOptions options, string key, string value, ParseState state)
    {
        if (key.Length == 0)
        {
            throw new ArgumentException("A configuration item starts with '='; expected key=value.", ParamName);
        }
        if (Settings.TryGetValue(key, out Setting? setting))
        {
            try
            {
                setting.Apply(options, value, state);
            }
            catch (ArgumentException) when (state.AfterPassword)
            {
                throw HiddenItem(state, "has an invalid value");
            }
        }
        else if (key[0] == '$' || Ignored.Contains(key))
        {
            // Command maps and SE.Redis-only settings: accepted so existing strings keep working (see IgnoredKeys).
        }
        else if (state.AfterPassword)
        {
            throw HiddenItem(state, "has an unknown key");
        }
        else
        {
            // The key is echoed (it is what the user must fix); the value is not, since it may be a secret.
            throw new ArgumentException(
                $"Unknown configuration key '{key}'. Accepted keys: {AcceptedKeysText}.", ParamName);
        }
    }

    /// <summary>Adds an endpoint item, skipping duplicates so repeated seeds do not double connections.</summary>
    internal static void AddEndpoint(ClusterOptions options, string item, int position, ParseState state)
    {
        if (!NodeEndpoint.TryParse(item, out NodeEndpoint endpoint, out string? reason))
        {
            string message = state.HideEndpointText
                ? $"Configuration item #{position} is not a valid endpoint ({reason}). It is not shown because the " +
                  "configuration contains a password: passwords cannot contain ',' in a configuration string."
                : $"'{item}' is not a valid endpoint ({reason}); expected host, host:port or [ipv6]:port.";
            throw new ArgumentException(message, ParamName);
        }
        if (!options.Endpoints.Any(e => e.Port == endpoint.Port && string.Equals(e.Host, endpoint.Host, StringComparison.OrdinalIgnoreCase)))
        {
            options.Endpoints.Add(endpoint);
        }
    }

    /// <summary>An error about an item that may be part of a password: it says which item, never what it holds.</summary>
    private static ArgumentException HiddenItem(ParseState state, string problem) =>
        new($"{state.ItemKind} #{state.Position.ToString(CultureInfo.InvariantCulture)} {problem}. It is not shown because it follows the " +
            "password and may be part of it: a password cannot contain ',' in a configuration string, nor an unencoded '?', '&' or '#' " +
            $"in a URI (percent-encode it). Accepted keys: {AcceptedKeysText}.", ParamName);

    private static bool IsPasswordItem(string item)
    {
        int equals = item.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && item.AsSpan(0, equals).Trim().Equals(ConfigurationKeys.Password, StringComparison.OrdinalIgnoreCase);
    }

    private static Dictionary<string, Setting> BuildSettings()
    {
        Setting[] settings =
        [
            new(ConfigurationKeys.AbortConnect, (o, v, _) => o.AbortOnConnectFail = ParseBool(ConfigurationKeys.AbortConnect, v)),
            new(ConfigurationKeys.AllowAdmin, (o, v, _) => o.AllowAdmin = ParseBool(ConfigurationKeys.AllowAdmin, v)),
            CommandTimeoutSetting(ConfigurationKeys.CommandTimeout, rank: 4),
            CommandTimeoutSetting(ConfigurationKeys.AsyncTimeout, rank: 3),
            CommandTimeoutSetting(ConfigurationKeys.SyncTimeout, rank: 2),
            CommandTimeoutSetting(ConfigurationKeys.Timeout, rank: 1),
            CommandTimeoutSetting(ConfigurationKeys.ResponseTimeout, rank: 1),
            new(ConfigurationKeys.CheckCertificateRevocation,
                (o, v, _) => o.CheckCertificateRevocation = ParseBool(ConfigurationKeys.CheckCertificateRevocation, v)),
            new(ConfigurationKeys.ConnectRetry, (o, v, _) => o.ConnectRetry = ParseInt(ConfigurationKeys.ConnectRetry, v, 0, int.MaxValue)),
            new(ConfigurationKeys.ConnectTimeout,
                (o, v, _) => o.ConnectTimeout = TimeSpan.FromMilliseconds(ParseInt(ConfigurationKeys.ConnectTimeout, v, 1, MaxMilliseconds))),
            new(ConfigurationKeys.KeepAlive,
                (o, v, _) => o.KeepAlive = TimeSpan.FromSeconds(ParseInt(ConfigurationKeys.KeepAlive, v, 0, MaxSeconds))),
            new(ConfigurationKeys.MaxConnectionAge,
                (o, v, _) => o.MaxConnectionAge = TimeSpan.FromSeconds(ParseInt(ConfigurationKeys.MaxConnectionAge, v, 1, MaxSeconds))),
            new(ConfigurationKeys.Name, (o, v, _) => o.ClientName = NullIfEmpty(v)),
            new(ConfigurationKeys.Password, (o, v, _) => o.Password = NullIfEmpty(v)),
            new(ConfigurationKeys.User, (o, v, _) => o.User = NullIfEmpty(v)),
            new(ConfigurationKeys.Ssl, (o, v, _) => o.Ssl = ParseBool(ConfigurationKeys.Ssl, v)),
            new(ConfigurationKeys.SslHost, (o, v, _) => o.SslHost = NullIfEmpty(v)),
            new(ConfigurationKeys.SslProtocols, (o, v, _) => o.SslProtocols = ParseSslProtocols(v)),
            new(ConfigurationKeys.Protocol, (o, v, _) => o.Protocol = ParseProtocol(v)),
            new(ConfigurationKeys.DefaultDatabase, (_, v, _) => CheckDefaultDatabase(v)),
            new(ConfigurationKeys.MaxRedirects, (o, v, _) => o.MaxRedirects = ParseInt(ConfigurationKeys.MaxRedirects, v, 0, int.MaxValue)),
            new(ConfigurationKeys.TopologyRefreshSeconds,
                (o, v, _) => o.TopologyRefreshInterval = TimeSpan.FromSeconds(ParseInt(ConfigurationKeys.TopologyRefreshSeconds, v, 0, MaxSeconds))),
            new(ConfigurationKeys.MinTopologyRefreshMs,
                (o, v, _) => o.MinTopologyRefreshInterval = TimeSpan.FromMilliseconds(ParseInt(ConfigurationKeys.MinTopologyRefreshMs, v, 0, MaxMilliseconds))),
            new(ConfigurationKeys.MaxPendingPerNode,
                (o, v, _) => o.MaxPendingCommandsPerNode = ParseInt(ConfigurationKeys.MaxPendingPerNode, v, 1, int.MaxValue)),
            new(ConfigurationKeys.BlockingConnectionsPerNode,
                (o, v, _) => o.BlockingConnectionsPerNode = ParseInt(ConfigurationKeys.BlockingConnectionsPerNode, v, 1, 1000)),
            new(ConfigurationKeys.SynchronousConnectionsPerNode,
                (o, v, _) => o.SynchronousConnectionsPerNode = ParseInt(ConfigurationKeys.SynchronousConnectionsPerNode, v, 1, 1000)),
            new(ConfigurationKeys.SubscriptionBuffer,
                (o, v, _) => o.SubscriptionBufferSize = ParseInt(ConfigurationKeys.SubscriptionBuffer, v, 1, int.MaxValue)),
            new(ConfigurationKeys.ConnectEagerly, (o, v, _) => o.ConnectEagerly = ParseBool(ConfigurationKeys.ConnectEagerly, v)),
            new(ConfigurationKeys.MaxBulkLength,
                (o, v, _) => o.MaxBulkLength = ParseInt(ConfigurationKeys.MaxBulkLength, v, 1, int.MaxValue - 64)),
            new(ConfigurationKeys.ReadFrom, (o, v, _) => o.ReadPolicy = ParseReadPolicy(v)),
            new(ConfigurationKeys.ClientAz, (o, v, _) => o.ClientAvailabilityZone = v.Length == 0 ? null : v),
            new(ConfigurationKeys.RetryIdempotentWrites,
                (o, v, _) => o.RetryIdempotentWrites = ParseBool(ConfigurationKeys.RetryIdempotentWrites, v)),
            new(ConfigurationKeys.ClientCache, (o, v, _) => o.ClientCacheSize = ParseSize(ConfigurationKeys.ClientCache, v)),
            new(ConfigurationKeys.ClientCacheMaxAge,
                (o, v, _) => o.ClientCacheMaxAge = TimeSpan.FromMilliseconds(ParseInt(ConfigurationKeys.ClientCacheMaxAge, v, 0, MaxMilliseconds))),
            new(ConfigurationKeys.ClientCachePrefixes, (o, v, _) =>
            {
                o.ClientCachePrefixes.Clear();
                foreach (string prefix in v.Split('|')) o.ClientCachePrefixes.Add(prefix);
            }),
            new(ConfigurationKeys.ServiceName, (_, _, _) => throw new ArgumentException(
                "'serviceName' selects Redis Sentinel, which Keyslot does not support: Keyslot is a client for Redis " +
                "Cluster (cluster mode enabled). Remove serviceName and list one or more cluster nodes as endpoints.", ParamName)),
            new(ConfigurationKeys.Proxy, (_, v, _) => CheckProxy(v)),
            new(ConfigurationKeys.Tunnel, (_, _, _) => throw new ArgumentException(
                "'tunnel' (HTTP CONNECT tunnels) is not supported by Keyslot; connect to the cluster nodes directly.", ParamName)),
        ];
        return settings.ToDictionary(s => s.Key, StringComparer.OrdinalIgnoreCase);
    }

    // Several keys set CommandTimeout. The most specific one wins whatever the order, so the common SE.Redis pair
    // "syncTimeout=1000,asyncTimeout=5000" means 5000 ms for this async-first client; among equals the last wins.
    private static Setting CommandTimeoutSetting(string key, int rank) => new(key, (o, v, state) =>
    {
        TimeSpan timeout = TimeSpan.FromMilliseconds(ParseInt(key, v, 1, MaxMilliseconds));
        if (rank >= state.CommandTimeoutRank)
        {
            o.CommandTimeout = timeout;
            state.CommandTimeoutRank = rank;
        }
    });

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>true/false in any case, or 1/0, as StackExchange.Redis reads them.</summary>
    private static bool ParseBool(string key, string value) => value switch
    {
        "1" => true,
        "0" => false,
        _ => bool.TryParse(value, out bool result) ? result : throw Invalid(key, value, "true or false (or 1 or 0)"),
    };

    private static int ParseInt(string key, string value, int min, int max)
    {
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result)
            && result >= min && result <= max)
        {
            return result;
        }
        string expectation = max == int.MaxValue
            ? $"a whole number of at least {min.ToString(CultureInfo.InvariantCulture)}"
            : $"a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        throw Invalid(key, value, expectation);
    }

    /// <summary>A size in bytes: digits, optionally followed by kb, mb or gb (any case, 1024-based).</summary>
    internal static long ParseSize(string key, string value)
    {
        string text = value.Trim();
        long unit = 1;
        if (text.Length > 2)
        {
            string suffix = text[^2..].ToUpperInvariant();
            unit = suffix switch { "KB" => 1L << 10, "MB" => 1L << 20, "GB" => 1L << 30, _ => 1 };
            if (unit != 1) text = text[..^2];
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long number) && number <= long.MaxValue / unit)
        {
            return number * unit;
        }
        throw Invalid(key, value, "a size in bytes, optionally with a kb, mb or gb suffix (such as 64mb), or 0 for off");
    }

    private static SslProtocols ParseSslProtocols(string value)
    {
        // SE.Redis syntax: names joined with '|' (',' already separates items), e.g. "Tls12|Tls13".
        SslProtocols result = SslProtocols.None;
        foreach (string part in value.Split('|', StringSplitOptions.TrimEntries))
        {
            // Names only: Enum.TryParse would also accept numbers such as "12", which are meaningless here.
            if (part.Length == 0 || !char.IsLetter(part[0])
                || !Enum.TryParse(part, ignoreCase: true, out SslProtocols protocol) || !Enum.IsDefined(protocol))
            {
                throw Invalid(ConfigurationKeys.SslProtocols, value,
                    "SslProtocols names joined with '|', such as Tls12|Tls13 (or None for the operating system default)");
            }
            result |= protocol;
        }
        return result;
    }

    private static RespProtocolVersion ParseProtocol(string value) => value.ToUpperInvariant() switch
    {
        "RESP2" or "2" => RespProtocolVersion.Resp2,
        "RESP3" or "3" => RespProtocolVersion.Resp3,
        _ => throw Invalid(ConfigurationKeys.Protocol, value, "resp2, resp3, 2 or 3"),
    };

    private static ReadPolicy ParseReadPolicy(string value) => value.ToUpperInvariant() switch
    {
        "PRIMARY" => ReadPolicy.Primary,
        "PREFERREPLICA" => ReadPolicy.PreferReplica,
        "REPLICA" => ReadPolicy.Replica,
        "LOWESTLATENCY" => ReadPolicy.LowestLatency,
        _ => throw Invalid(ConfigurationKeys.ReadFrom, value, "primary, preferReplica, replica or lowestLatency"),
    };

    private static void CheckDefaultDatabase(string value)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int database))
        {
            throw Invalid(ConfigurationKeys.DefaultDatabase, value, "0");
        }
        if (database != 0)
        {
            throw new ArgumentException(
                $"'defaultDatabase={database.ToString(CultureInfo.InvariantCulture)}' is not possible: Redis Cluster " +
                "has only database 0 (SELECT is rejected in cluster mode). Remove defaultDatabase or set it to 0.", ParamName);
        }
    }

    private static void CheckProxy(string value)
    {
        if (value.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        if (value.Equals("Twemproxy", StringComparison.OrdinalIgnoreCase) || value.Equals("Envoyproxy", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"'proxy={value}' is not supported: Keyslot talks to Redis Cluster nodes directly (cluster mode " +
                "enabled) and routes by hash slot itself. Connect to the cluster nodes instead, or use a non-cluster " +
                "client for the proxy.", ParamName);
        }
        throw Invalid(ConfigurationKeys.Proxy, value, "None (proxies are not supported; Keyslot is for cluster mode)");
    }

    /// <summary>Builds the error for a malformed value, quoting it unless it belongs to a secret.</summary>
    internal static ArgumentException Invalid(string key, string value, string expectation)
    {
        string shown = key.Equals(ConfigurationKeys.Password, StringComparison.OrdinalIgnoreCase) ? "(hidden)" : $"'{value}'";
        return new ArgumentException($"Invalid value {shown} for configuration key '{key}': expected {expectation}.", ParamName);
    }
}

/// <summary>Per-parse state shared by the settings of one configuration string or URI.</summary>
internal sealed class ParseState(bool hideEndpointText)
{
    /// <summary>Whether invalid endpoint items must not be quoted (they may be fragments of a password).</summary>
    public bool HideEndpointText { get; } = hideEndpointText;

    /// <summary>The specificity of the key that last set the command timeout (0 = none yet).</summary>
    public int CommandTimeoutRank { get; set; }

    /// <summary>The item being read, counted from 1 (for messages that must not quote it).</summary>
    public int Position { get; set; }

    /// <summary>What an item is called in messages.</summary>
    public string ItemKind { get; init; } = "Configuration item";

    /// <summary>
    /// True once a password has been read (or, in a URI, when it has credentials): later items may be fragments of it,
    /// so errors about them name neither key nor value.
    /// </summary>
    public bool AfterPassword { get; set; }
}
