using System.Globalization;

namespace Keyslot;

/// <summary>
/// Reads <c>redis://[user[:password]@]host[:port][,host2[:port]...][/db][?key=value&amp;...]</c> and the TLS form
/// <c>rediss://</c> into <see cref="ClusterOptions"/>.
/// </summary>
/// <remarks>
/// <para>User and password are percent-decoded; as in any URI, a password containing <c>@ : / ? #</c> or
/// <c>%</c> must be percent-encoded (<c>'+'</c> is kept as is, not read as a space). An empty user
/// (<c>redis://:password@host</c>) means the default user. Query parameters are ordinary configuration keys
/// (<c>?protocol=resp2&amp;name=x</c>), percent-decoded. A <c>rediss://</c> URI turns on <c>ssl</c>, and
/// <c>ssl=false</c> in its query is rejected as contradictory. The database path must be absent or <c>/0</c>:
/// a cluster has only database 0. A missing port means 6379 for both schemes (see <see cref="NodeEndpoint"/>).</para>
/// <para>Error messages never quote the URI, because it may contain a password.</para>
/// </remarks>
internal static class RedisUriParser
{
    private const string ParamName = "configuration";
    private const string PlainScheme = "redis://";
    private const string TlsScheme = "rediss://";

    /// <summary>Whether the (trimmed) text starts with <c>redis://</c> or <c>rediss://</c>, case-insensitively.</summary>
    internal static bool IsRedisUri(string text) =>
        text.StartsWith(PlainScheme, StringComparison.OrdinalIgnoreCase) || text.StartsWith(TlsScheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a <c>redis://</c> or <c>rediss://</c> URI.</summary>
    /// <exception cref="ArgumentException">The URI is malformed or names an unknown or unsupported setting.</exception>
    internal static ClusterOptions Parse(string uri)
    {
        bool tls = uri.StartsWith(TlsScheme, StringComparison.OrdinalIgnoreCase);
        string rest = uri[(tls ? TlsScheme.Length : PlainScheme.Length)..];

        if (rest.Contains('#', StringComparison.Ordinal))
        {
            throw Error("it contains '#', which starts a URI fragment; percent-encode '#' in a password as %23");
        }
        string query = string.Empty;
        int questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }
        string path = string.Empty;
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            path = rest[slash..];
            rest = rest[..slash];
        }

        var options = new ClusterOptions { Ssl = tls };
        string hosts = rest;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            ReadUserInfo(options, rest[..at]);
            hosts = rest[(at + 1)..];
        }
        // Endpoint text sits next to the password in a URI, so it is never quoted in errors.
        // With credentials, an unencoded '?' or '&' in the password puts pieces of it into the query: errors about query
        // parameters then quote nothing.
        var state = new ParseState(hideEndpointText: true) { AfterPassword = uri.Contains('@', StringComparison.Ordinal), ItemKind = "URI query parameter" };
        ReadHosts(options, hosts, state);
        CheckDatabase(path);
        ReadQuery(options, query, state);

        if (tls && !options.Ssl)
        {
            throw Error("a rediss:// URI always uses TLS, so its query cannot set ssl=false; use redis:// for plain connections");
        }
        return options;
    }

    private static void ReadUserInfo(ClusterOptions options, string userInfo)
    {
        int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        string user = colon >= 0 ? userInfo[..colon] : userInfo;
        options.User = user.Length == 0 ? null : Uri.UnescapeDataString(user);
        if (colon >= 0)
        {
            string password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            options.Password = password.Length == 0 ? null : password;
        }
    }

    private static void ReadHosts(ClusterOptions options, string hosts, ParseState state)
    {
        string[] items = hosts.Split(',', StringSplitOptions.TrimEntries);
        if (items.All(h => h.Length == 0))
        {
            throw Error("it has no host; expected redis://[user[:password]@]host[:port]");
        }
        for (int i = 0; i < items.Length; i++)
        {
            if (!NodeEndpoint.TryParse(items[i], out _, out string? reason))
            {
                throw Error($"host #{(i + 1).ToString(CultureInfo.InvariantCulture)} is not a valid endpoint ({reason}); " +
                    "if the password contains '@', ':', '/' or '?', percent-encode it");
            }
            ConfigurationParser.AddEndpoint(options, items[i], i + 1, state);
        }
    }

    private static void CheckDatabase(string path)
    {
        if (path is "" or "/" or "/0")
        {
            return;
        }
        if (int.TryParse(path.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw Error("it selects a database other than 0, but Redis Cluster has only database 0 (SELECT is " +
                "rejected in cluster mode); remove the path or use /0");
        }
        throw Error("its path must be empty or a database number (/0), and a cluster has only database 0");
    }

    private static void ReadQuery(ClusterOptions options, string query, ParseState state)
    {
        string[] parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parameters.Length; i++)
        {
            string parameter = parameters[i];
            state.Position = i + 1;
            int equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                // With credentials it is not quoted: with a '?' or '&' in an unencoded password, a query "parameter" is a
                // piece of the password.
                if (state.AfterPassword) throw Error($"query parameter #{(i + 1).ToString(CultureInfo.InvariantCulture)} has no value; expected key=value");
                throw new ArgumentException($"URI query parameter '{Uri.UnescapeDataString(parameter)}' has no value; expected key=value.", ParamName);
            }
            string key = Uri.UnescapeDataString(parameter[..equals]).Trim();
            string value = Uri.UnescapeDataString(parameter[(equals + 1)..]).Trim();
            ConfigurationParser.Apply(options, key, value, state);
        }
    }

    private static ArgumentException Error(string reason) =>
        new($"Invalid Redis URI (not shown, as it may contain a password): {reason}.", ParamName);
}
