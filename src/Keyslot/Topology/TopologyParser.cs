using System.Globalization;
using Keyslot.Protocol;

namespace Keyslot.Topology;

/// <summary>
/// Reads the replies of <c>CLUSTER SHARDS</c> (Redis 7+) and <c>CLUSTER SLOTS</c> into shards, in a stable order
/// (by first slot, then endpoint) so that two nodes' answers about the same cluster compare equal.
/// </summary>
internal static class TopologyParser
{
    /// <summary>
    /// Parses CLUSTER SHARDS. <paramref name="useTlsPort"/> picks each node's <c>tls-port</c> when it has one. A node
    /// listed with an empty address is the one that answered (<paramref name="answeredBy"/>): a node that has never met
    /// another does not know its own IP, and the protocol's rule (as for CLUSTER SLOTS) is "the host you asked".
    /// </summary>
    public static List<ClusterShard> ParseShards(RespValue reply, bool useTlsPort, NodeEndpoint? answeredBy = null)
    {
        var shards = new List<ClusterShard>();
        foreach (RespValue shardValue in reply.AsSpan())
        {
            IReadOnlyDictionary<string, RespValue> shard = shardValue.AsMap();
            var slots = new List<(int, int)>();
            if (shard.TryGetValue("slots", out RespValue slotList))
            {
                ReadOnlySpan<RespValue> bounds = slotList.AsSpan();
                if (bounds.Length % 2 != 0) throw Malformed("CLUSTER SHARDS", "an odd number of slot bounds");
                for (int i = 0; i < bounds.Length; i += 2) slots.Add(((int)bounds[i].AsInt64(), (int)bounds[i + 1].AsInt64()));
            }
            slots.Sort();
            var nodes = new List<ClusterNodeInfo>();
            if (shard.TryGetValue("nodes", out RespValue nodeList))
            {
                foreach (RespValue nodeValue in nodeList.AsSpan()) nodes.Add(ParseShardNode(nodeValue.AsMap(), useTlsPort, answeredBy));
            }
            // Right after a failover a shard can list two masters: the failed old one and the promoted replica.
            // The live one is the primary; a failed master is kept as a (failed) replica so nothing routes to it.
            ClusterNodeInfo? primary = nodes.Find(n => n.IsPrimary && !n.IsFailed) ?? nodes.Find(n => n.IsPrimary);
            var replicas = new List<ClusterNodeInfo>();
            foreach (ClusterNodeInfo node in nodes)
            {
                if (!ReferenceEquals(node, primary)) replicas.Add(WithRole(node, false));
            }
            if (primary is null)
            {
                if (slots.Count > 0) throw Malformed("CLUSTER SHARDS", "a shard with slots but no primary");
                continue; // a shard whose primary failed and was removed: nothing to route to
            }
            if (slots.Count == 0 && primary.IsFailed && replicas.Count == 0)
            {
                continue; // a failed primary whose replica took over lingers as a shard of its own: never route there
            }
            shards.Add(new ClusterShard(primary, Sorted(replicas), slots));
        }
        return Normalize(shards);
    }

    /// <summary>
    /// Parses CLUSTER SLOTS: one entry per range, [start, end, primary, replica…], each node [host, port, id, …]; an
    /// empty host is <paramref name="answeredBy"/>'s ("the endpoint used to send this command").
    /// </summary>
    public static List<ClusterShard> ParseSlots(RespValue reply, NodeEndpoint? answeredBy = null)
    {
        var byPrimary = new Dictionary<NodeEndpoint, (ClusterNodeInfo Primary, List<ClusterNodeInfo> Replicas, List<(int, int)> Slots)>();
        foreach (RespValue range in reply.AsSpan())
        {
            ReadOnlySpan<RespValue> parts = range.AsSpan();
            if (parts.Length < 3) throw Malformed("CLUSTER SLOTS", "a range with fewer than 3 elements");
            int start = (int)parts[0].AsInt64(), end = (int)parts[1].AsInt64();
            ClusterNodeInfo primary = ParseSlotsNode(parts[2], true, answeredBy);
            if (!byPrimary.TryGetValue(primary.Endpoint, out var entry))
            {
                var replicas = new List<ClusterNodeInfo>();
                for (int i = 3; i < parts.Length; i++) replicas.Add(ParseSlotsNode(parts[i], false, answeredBy));
                entry = (primary, replicas, new List<(int, int)>());
                byPrimary.Add(primary.Endpoint, entry);
            }
            entry.Slots.Add((start, end));
        }
        var shards = new List<ClusterShard>(byPrimary.Count);
        foreach (var entry in byPrimary.Values)
        {
            entry.Slots.Sort();
            shards.Add(new ClusterShard(entry.Primary, Sorted(entry.Replicas), entry.Slots));
        }
        return Normalize(shards);
    }

    private static ClusterNodeInfo ParseShardNode(IReadOnlyDictionary<string, RespValue> node, bool useTlsPort, NodeEndpoint? answeredBy)
    {
        string id = node.TryGetValue("id", out RespValue idValue) ? idValue.AsString() ?? "" : "";
        string? host = node.TryGetValue("endpoint", out RespValue ep) ? ep.AsString() : null;
        if (string.IsNullOrEmpty(host) || host == "?")
        {
            host = node.TryGetValue("ip", out RespValue ip) ? ip.AsString() : null;
        }
        if (string.IsNullOrEmpty(host) && answeredBy is { } self) host = self.Host;
        if (string.IsNullOrEmpty(host)) throw Malformed("CLUSTER SHARDS", $"node {id} without an endpoint or ip");
        long port = 0;
        if (useTlsPort && node.TryGetValue("tls-port", out RespValue tlsPort)) port = tlsPort.AsInt64();
        if (port == 0 && node.TryGetValue("port", out RespValue plainPort)) port = plainPort.AsInt64();
        if (port == 0 && node.TryGetValue("tls-port", out RespValue onlyTls)) port = onlyTls.AsInt64();
        if (port is <= 0 or > 65535) throw Malformed("CLUSTER SHARDS", $"node {id} without a valid port");
        bool isPrimary = node.TryGetValue("role", out RespValue role) && (role.AsString() is "master" or "primary");
        string health = node.TryGetValue("health", out RespValue h) ? h.AsString() ?? "online" : "online";
        return new ClusterNodeInfo(id, new NodeEndpoint(host, (int)port), isPrimary, health);
    }

    private static ClusterNodeInfo ParseSlotsNode(RespValue value, bool isPrimary, NodeEndpoint? answeredBy)
    {
        ReadOnlySpan<RespValue> parts = value.AsSpan();
        if (parts.Length < 2) throw Malformed("CLUSTER SLOTS", "a node with fewer than 2 elements");
        string host = parts[0].AsString() ?? "";
        if (host.Length == 0 && answeredBy is { } self) host = self.Host;
        if (host.Length == 0 || host == "?") throw Malformed("CLUSTER SLOTS", "a node without a usable endpoint");
        long port = parts[1].AsInt64();
        if (port is <= 0 or > 65535) throw Malformed("CLUSTER SLOTS", $"a node with port {port.ToString(CultureInfo.InvariantCulture)}");
        string id = parts.Length > 2 ? parts[2].AsString() ?? "" : "";
        return new ClusterNodeInfo(id, new NodeEndpoint(host, (int)port), isPrimary, "online");
    }

    private static ClusterNodeInfo WithRole(ClusterNodeInfo node, bool isPrimary) => node.IsPrimary == isPrimary ? node : node with { IsPrimary = isPrimary };

    private static List<ClusterNodeInfo> Sorted(List<ClusterNodeInfo> nodes)
    {
        nodes.Sort(static (a, b) => string.CompareOrdinal(a.Endpoint.ToString(), b.Endpoint.ToString()));
        return nodes;
    }

    private static List<ClusterShard> Normalize(List<ClusterShard> shards)
    {
        shards.Sort(static (a, b) =>
        {
            int sa = a.Slots.Count > 0 ? a.Slots[0].Start : int.MaxValue;
            int sb = b.Slots.Count > 0 ? b.Slots[0].Start : int.MaxValue;
            return sa != sb ? sa.CompareTo(sb) : string.CompareOrdinal(a.Primary.Endpoint.ToString(), b.Primary.Endpoint.ToString());
        });
        return shards;
    }

    private static RespProtocolException Malformed(string command, string what) => new(0, $"The {command} reply has {what}.");
}
