using System.Globalization;
using Keyslot.Protocol;

namespace Keyslot.Topology;

/// <summary>
/// What a server without cluster mode says of its place in replication: a primary (with the replicas attached to
/// it) or a replica (with the primary it follows). Read from <c>ROLE</c>, or from <c>INFO replication</c> where an
/// ACL allows INFO but not ROLE.
/// </summary>
internal sealed class ReplicationRole
{
    private ReplicationRole(NodeEndpoint? primary, IReadOnlyList<NodeEndpoint> replicas)
    {
        Primary = primary;
        Replicas = replicas;
    }

    /// <summary>What is assumed of a server that lets the client read neither ROLE nor INFO: a primary, no replicas known.</summary>
    public static ReplicationRole Unreadable { get; } = new(null, []);

    /// <summary>For a replica, the primary it follows; null for a primary.</summary>
    public NodeEndpoint? Primary { get; }

    /// <summary>For a primary, the replicas attached to it, sorted by endpoint; empty for a replica.</summary>
    public IReadOnlyList<NodeEndpoint> Replicas { get; }

    /// <summary>
    /// Parses ROLE: <c>["master", offset, [[ip, port, offset], …]]</c> or <c>["slave", ip, port, state, offset]</c>.
    /// A Sentinel (<c>["sentinel", …]</c>) is refused: it holds no data.
    /// </summary>
    public static ReplicationRole ParseRole(RespValue reply, NodeEndpoint answeredBy)
    {
        ReadOnlySpan<RespValue> parts = reply.AsSpan();
        string role = parts.Length > 0 ? parts[0].AsString() ?? "" : "";
        switch (role)
        {
            case "master":
            {
                var replicas = new List<NodeEndpoint>();
                if (parts.Length > 2)
                {
                    foreach (RespValue replica in parts[2].AsSpan())
                    {
                        ReadOnlySpan<RespValue> fields = replica.AsSpan();
                        if (fields.Length < 2) throw Malformed("ROLE", "a replica entry with fewer than 2 elements");
                        replicas.Add(Endpoint("ROLE", fields[0].AsString(), fields[1].AsInt64()));
                    }
                }
                return PrimaryWith(replicas);
            }
            case "slave":
            case "replica":
                if (parts.Length < 3) throw Malformed("ROLE", "a replica reply with fewer than 3 elements");
                return new ReplicationRole(Endpoint("ROLE", parts[1].AsString(), parts[2].AsInt64()), []);
            case "sentinel":
                throw new RedisException($"{answeredBy} is a Redis Sentinel, which holds no data. Keyslot does not use Sentinel: " +
                    "list the primary's (or a replica's) address instead; replicas and failovers are found from ROLE.");
            default:
                throw Malformed("ROLE", $"the unknown role '{role}'");
        }
    }

    /// <summary>
    /// Parses the <c>INFO replication</c> section: <c>role:master</c> with <c>slaveN:ip=…,port=…,state=online,…</c>
    /// lines (replicas not yet online are left out), or <c>role:slave</c> with <c>master_host</c> and <c>master_port</c>.
    /// </summary>
    public static ReplicationRole ParseInfo(string info)
    {
        string? role = null, masterHost = null, masterPort = null;
        var replicas = new List<NodeEndpoint>();
        foreach (string rawLine in info.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[0] == '#') continue;
            string name = line[..colon], value = line[(colon + 1)..];
            if (name == "role") role = value;
            else if (name == "master_host") masterHost = value;
            else if (name == "master_port") masterPort = value;
            else if (name.StartsWith("slave", StringComparison.Ordinal) && name.Length > 5 && char.IsAsciiDigit(name[5]))
            {
                string? ip = null, port = null, state = null;
                foreach (string field in value.Split(','))
                {
                    int eq = field.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) continue;
                    string key = field[..eq];
                    if (key == "ip") ip = field[(eq + 1)..];
                    else if (key == "port") port = field[(eq + 1)..];
                    else if (key == "state") state = field[(eq + 1)..];
                }
                if (state is null or "online") replicas.Add(Endpoint("INFO replication", ip, ParsePort(port)));
            }
        }
        return role switch
        {
            "master" => PrimaryWith(replicas),
            "slave" or "replica" => new ReplicationRole(Endpoint("INFO replication", masterHost, ParsePort(masterPort)), []),
            null => throw Malformed("INFO replication", "no role line"),
            _ => throw Malformed("INFO replication", $"the unknown role '{role}'"),
        };
    }

    private static ReplicationRole PrimaryWith(List<NodeEndpoint> replicas)
    {
        replicas.Sort(static (a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        return new ReplicationRole(null, replicas);
    }

    private static long ParsePort(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long port) ? port : 0;

    private static NodeEndpoint Endpoint(string command, string? host, long port)
    {
        if (string.IsNullOrEmpty(host) || host == "?") throw Malformed(command, "a node without an address");
        if (port is <= 0 or > 65535) throw Malformed(command, $"a node with port {port.ToString(CultureInfo.InvariantCulture)}");
        return new NodeEndpoint(host, (int)port);
    }

    private static RespProtocolException Malformed(string command, string what) => new(0, $"The {command} reply has {what}.");
}
