using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Keyslot;

/// <summary>A node address: a host name or IP address and a TCP port.</summary>
/// <remarks>
/// <para>Text forms: <c>host</c>, <c>host:port</c>, <c>1.2.3.4:port</c>, <c>[::1]:port</c>, <c>[::1]</c> and a bare
/// IPv6 address such as <c>::1</c> (a bare IPv6 address cannot carry a port: use brackets for that).</para>
/// <para>A missing port means <see cref="DefaultPort"/> (6379) <em>whether or not TLS is used</em>. This differs
/// from StackExchange.Redis, which assumes 6380 for TLS: ElastiCache, Valkey and Redis Cluster serve TLS on 6379
/// by default, so 6379 is the less surprising choice for a cluster client.</para>
/// <para>IPv6 hosts are stored without brackets (<c>Host == "::1"</c>); <see cref="ToString"/> adds them back.</para>
/// </remarks>
public readonly record struct NodeEndpoint
{
    /// <summary>The port used when the text form has none: 6379, for plain and TLS connections alike.</summary>
    public const int DefaultPort = 6379;

    private readonly string _host;
    private readonly int _port;

    /// <summary>Creates an endpoint.</summary>
    /// <param name="Host">A host name or IP address (IPv6 without brackets); not empty.</param>
    /// <param name="Port">A TCP port from 1 to 65535.</param>
    /// <exception cref="ArgumentException"><paramref name="Host"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="Port"/> is outside 1..65535.</exception>
    public NodeEndpoint(string Host, int Port)
    {
        _host = CheckHost(Host);
        _port = CheckPort(Port);
    }

    /// <summary>The host name or IP address (IPv6 addresses without brackets).</summary>
    public string Host
    {
        get => _host ?? string.Empty; // default(NodeEndpoint) has no host; never hand out null
        init => _host = CheckHost(value);
    }

    /// <summary>The TCP port, from 1 to 65535.</summary>
    public int Port
    {
        get => _port;
        init => _port = CheckPort(value);
    }

    /// <summary>Deconstructs the endpoint into its host and port.</summary>
    /// <param name="Host">Receives <see cref="Host"/>.</param>
    /// <param name="Port">Receives <see cref="Port"/>.</param>
    public void Deconstruct(out string Host, out int Port)
    {
        Host = this.Host;
        Port = this.Port;
    }

    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[ipv6]:port</c> or a bare IPv6 address.</summary>
    /// <param name="text">The endpoint text; surrounding white space is ignored.</param>
    /// <returns>The endpoint, with port <see cref="DefaultPort"/> when none is given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a valid endpoint.</exception>
    public static NodeEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out NodeEndpoint endpoint, out string? error))
        {
            return endpoint;
        }
        throw new FormatException($"'{text}' is not a valid endpoint: {error}.");
    }

    /// <summary>Tries to parse <c>host</c>, <c>host:port</c>, <c>[ipv6]:port</c> or a bare IPv6 address.</summary>
    /// <param name="text">The endpoint text; surrounding white space is ignored.</param>
    /// <param name="endpoint">The endpoint when the text is valid; otherwise <c>default</c>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid endpoint.</returns>
    public static bool TryParse(string? text, out NodeEndpoint endpoint) => TryParse(text, out endpoint, out _);

    /// <summary>Like <see cref="TryParse(string?, out NodeEndpoint)"/>, and says why the text is invalid.</summary>
    /// <remarks>The reason never quotes <paramref name="text"/>, so callers decide whether echoing it is safe.</remarks>
    internal static bool TryParse(string? text, out NodeEndpoint endpoint, out string? error)
    {
        endpoint = default;
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            error = "the endpoint is empty";
            return false;
        }

        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port = default;
        if (span[0] == '[')
        {
            int close = span.IndexOf(']');
            if (close < 0)
            {
                error = "'[' without a closing ']'";
                return false;
            }
            host = span[1..close];
            ReadOnlySpan<char> rest = span[(close + 1)..];
            if (!rest.IsEmpty)
            {
                if (rest[0] != ':')
                {
                    error = "expected ':port' after ']'";
                    return false;
                }
                port = rest[1..];
                if (port.IsEmpty)
                {
                    error = "the port after ':' is empty";
                    return false;
                }
            }
            if (!IsIPv6(host))
            {
                error = "brackets must enclose an IPv6 address";
                return false;
            }
        }
        else
        {
            int first = span.IndexOf(':');
            bool bareIPv6 = false;
            if (first >= 0 && span.LastIndexOf(':') != first)
            {
                // Several colons and no brackets: only a bare IPv6 address (with the default port) makes sense.
                if (!IsIPv6(span))
                {
                    error = "an IPv6 address with a port must be written as [address]:port";
                    return false;
                }
                host = span;
                bareIPv6 = true;
            }
            else if (first >= 0)
            {
                host = span[..first];
                port = span[(first + 1)..];
                if (port.IsEmpty)
                {
                    error = "the port after ':' is empty";
                    return false;
                }
            }
            else
            {
                host = span;
            }
            if (!bareIPv6 && !IsHostName(host))
            {
                error = host.IsEmpty
                    ? "the host is empty"
                    : "the host may contain only letters, digits, '-', '_' and '.'";
                return false;
            }
        }

        int portNumber = DefaultPort;
        if (!port.IsEmpty && !TryParsePort(port, out portNumber))
        {
            error = "the port must be a number from 1 to 65535";
            return false;
        }
        endpoint = new NodeEndpoint(host.ToString(), portNumber);
        error = null;
        return true;
    }

    /// <summary>Formats the endpoint as <c>host:port</c>, bracketing IPv6 addresses (<c>[::1]:6379</c>).</summary>
    /// <returns>Text that <see cref="Parse"/> reads back to an equal endpoint.</returns>
    public override string ToString()
    {
        string host = Host;
        string port = Port.ToString(CultureInfo.InvariantCulture);
        return host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    private static bool IsIPv6(ReadOnlySpan<char> text) =>
        IPAddress.TryParse(text, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    // Deliberately permissive (underscores appear in container and compose host names) but rejects the
    // separators of the configuration string and URI syntax, so typos fail here rather than in DNS.
    private static bool IsHostName(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty)
        {
            return false;
        }
        foreach (char c in host)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    private static string CheckHost(string host)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host, nameof(Host));
        return host;
    }

    private static int CheckPort(int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535, nameof(Port));
        return port;
    }
}
