using Keyslot.Protocol;
using Keyslot.Topology;

namespace Keyslot.Tests.Topology;

public sealed class TopologyParserTests
{
    private static RespValue S(string text) => RespValue.FromString(text);
    private static RespValue I(long value) => RespValue.FromInt64(value);

    private static RespValue Pairs(bool resp3, params RespValue[] keysAndValues) => resp3 ? RespValue.FromMap(keysAndValues) : RespValue.FromArray(keysAndValues);

    private static RespValue Node(bool resp3, string id, int port, string role, string health = "online", string endpoint = "127.0.0.1", int tlsPort = 0)
    {
        var fields = new List<RespValue> { S("id"), S(id), S("port"), I(port), S("ip"), S("127.0.0.1"), S("endpoint"), S(endpoint), S("role"), S(role), S("health"), S(health) };
        if (tlsPort > 0) fields.AddRange([S("tls-port"), I(tlsPort)]);
        return Pairs(resp3, [.. fields]);
    }

    private static RespValue Shard(bool resp3, (int, int)[] slots, params RespValue[] nodes) =>
        Pairs(resp3, S("slots"), RespValue.FromArray([.. slots.SelectMany(r => new[] { I(r.Item1), I(r.Item2) })]), S("nodes"), RespValue.FromArray(nodes));

    private static RespValue ThreeShards(bool resp3, bool reversed = false)
    {
        RespValue[] shards =
        [
            Shard(resp3, [(0, 5460)], Node(resp3, "a", 7000, "master"), Node(resp3, "d", 7003, "replica")),
            Shard(resp3, [(5461, 10922)], Node(resp3, "b", 7001, "master"), Node(resp3, "e", 7004, "replica", endpoint: "?")),
            Shard(resp3, [(10923, 16383)], Node(resp3, "c", 7002, "master"), Node(resp3, "f", 7005, "replica", health: "loading")),
        ];
        if (reversed) Array.Reverse(shards);
        return RespValue.FromArray(shards);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Cluster_shards_in_resp3_and_resp2_give_the_same_map(bool resp3)
    {
        SlotMap map = SlotMap.Build(TopologyParser.ParseShards(ThreeShards(resp3), useTlsPort: false));
        Assert.Equal(16_384, map.AssignedSlots);
        Assert.Equal(3, map.Shards.Count);
        Assert.Equal([(0, 5460, 7000), (5461, 10922, 7001), (10923, 16383, 7002)], map.Ranges.Select(r => (r.Start, r.End, r.Primary.Port)));
        Assert.Equal("127.0.0.1", map.Shards[1].Replicas[0].Endpoint.Host); // "?" endpoint falls back to the ip
        Assert.False(map.Shards[2].Replicas[0].IsFailed);                   // loading is not failed
        Assert.True(map.SameAs(SlotMap.Build(TopologyParser.ParseShards(ThreeShards(!resp3, reversed: true), useTlsPort: false))));
    }

    [Fact]
    public void The_tls_port_is_used_when_connecting_with_tls()
    {
        RespValue reply = RespValue.FromArray(Shard(true, [(0, 16383)], Node(true, "a", 7000, "master", tlsPort: 17000)));
        Assert.Equal(17000, TopologyParser.ParseShards(reply, useTlsPort: true)[0].Primary.Endpoint.Port);
        Assert.Equal(7000, TopologyParser.ParseShards(reply, useTlsPort: false)[0].Primary.Endpoint.Port);
    }

    [Fact]
    public void A_failed_primary_left_behind_after_a_failover_is_not_a_shard()
    {
        RespValue reply = RespValue.FromArray(
            Shard(true, [(0, 16383)], Node(true, "b", 7001, "master")),
            Shard(true, [], Node(true, "a", 7000, "master", health: "failed")));
        List<ClusterShard> shards = TopologyParser.ParseShards(reply, useTlsPort: false);
        Assert.Single(shards);
        Assert.Equal(7001, shards[0].Primary.Endpoint.Port);
    }

    [Fact]
    public void Right_after_a_failover_the_live_master_is_the_primary_even_when_the_failed_one_is_listed_first()
    {
        RespValue reply = RespValue.FromArray(Shard(true, [(0, 16383)],
            Node(true, "old", 7000, "master", health: "failed"), Node(true, "new", 7003, "master")));
        ClusterShard shard = Assert.Single(TopologyParser.ParseShards(reply, useTlsPort: false));
        Assert.Equal(7003, shard.Primary.Endpoint.Port);
        Assert.True(Assert.Single(shard.Replicas).IsFailed);
    }

    [Fact]
    public void An_empty_new_primary_is_kept_as_a_shard_without_slots()
    {
        RespValue reply = RespValue.FromArray(Shard(true, [(0, 16383)], Node(true, "a", 7000, "master")), Shard(true, [], Node(true, "n", 7009, "master")));
        SlotMap map = SlotMap.Build(TopologyParser.ParseShards(reply, useTlsPort: false));
        Assert.Equal(2, map.Shards.Count);
        Assert.Single(map.Ranges);
    }

    [Fact]
    public void Cluster_slots_groups_ranges_by_primary()
    {
        RespValue Node(int port, string id) => RespValue.FromArray(S("127.0.0.1"), I(port), S(id));
        RespValue reply = RespValue.FromArray(
            RespValue.FromArray(I(0), I(99), Node(7000, "a"), Node(7003, "d")),
            RespValue.FromArray(I(100), I(16383), Node(7001, "b")),
            RespValue.FromArray(I(50_00), I(50_00), Node(7000, "a"), Node(7003, "d")));
        List<ClusterShard> shards = TopologyParser.ParseSlots(RespValue.FromArray(reply.AsSpan()[0], reply.AsSpan()[1]));
        Assert.Equal(2, shards.Count);
        Assert.Equal(7003, shards[0].Replicas[0].Endpoint.Port);
        Assert.Equal(16_384, SlotMap.Build(shards).AssignedSlots);
    }

    [Fact]
    public void Malformed_topology_replies_are_protocol_errors()
    {
        RespValue oddBounds = RespValue.FromArray(Pairs(true, S("slots"), RespValue.FromArray(I(0)), S("nodes"), RespValue.FromArray()));
        Assert.Throws<RespProtocolException>(() => TopologyParser.ParseShards(oddBounds, false));
        RespValue noPort = RespValue.FromArray(Shard(true, [(0, 1)], Pairs(true, S("id"), S("x"), S("ip"), S("127.0.0.1"), S("role"), S("master"))));
        Assert.Throws<RespProtocolException>(() => TopologyParser.ParseShards(noPort, false));
        RespValue badRange = RespValue.FromArray(Shard(true, [(10, 5)], Node(true, "a", 7000, "master")));
        Assert.Throws<RespProtocolException>(() => SlotMap.Build(TopologyParser.ParseShards(badRange, false)));
    }

    [Fact]
    public void Moving_one_slot_changes_exactly_that_slot()
    {
        SlotMap map = SlotMap.Build(TopologyParser.ParseShards(ThreeShards(true), false));
        NodeEndpoint second = map.Shards[1].Primary.Endpoint;
        SlotMap moved = map.WithSlotOwner(42, second);
        Assert.Equal(1, map.CountMovedSlots(moved));
        Assert.Equal(1, moved.ShardOf(42));
        Assert.Equal(0, moved.ShardOf(41));
        Assert.False(map.SameAs(moved));

        SlotMap toNewNode = map.WithSlotOwner(7, new NodeEndpoint("10.0.0.9", 7777));
        Assert.Equal(4, toNewNode.Shards.Count);
        Assert.Equal(3, toNewNode.ShardOf(7));
    }

    [Fact]
    public void Describing_moves_names_each_changed_range_with_its_old_and_new_owner()
    {
        SlotMap before = SlotMap.Build(TopologyParser.ParseShards(ThreeShards(true), useTlsPort: false));
        var owner7001 = before.Shards[1].Primary.Endpoint;
        SlotMap after = before.WithSlotOwner(0, owner7001).WithSlotOwner(1, owner7001).WithSlotOwner(100, owner7001);

        Assert.Equal("0-1 127.0.0.1:7000→127.0.0.1:7001; 100 127.0.0.1:7000→127.0.0.1:7001", before.DescribeMoves(after, maxRanges: 10));
        Assert.Equal("0-1 127.0.0.1:7000→127.0.0.1:7001; and 1 more range(s)", before.DescribeMoves(after, maxRanges: 1));
        Assert.Equal("", before.DescribeMoves(before, maxRanges: 10));
        Assert.Equal(3, before.CountMovedSlots(after));
    }

    [Fact]
    public void Several_slots_change_owner_in_one_copy_and_an_unknown_primary_becomes_a_new_shard()
    {
        SlotMap before = SlotMap.Build(TopologyParser.ParseShards(ThreeShards(true), useTlsPort: false));
        var known = before.Shards[2].Primary.Endpoint;
        var fresh = new NodeEndpoint("127.0.0.1", 7999);

        SlotMap after = before.WithSlotOwners([(0, known), (1, fresh), (2, fresh)]);

        Assert.Equal(2, after.ShardOf(0));
        Assert.Equal(3, after.ShardOf(1));
        Assert.Equal(3, after.ShardOf(2));
        Assert.Equal(fresh, after.Shards[3].Primary.Endpoint);
        Assert.Equal(0, before.ShardOf(1)); // the original is untouched
        Assert.Equal(3, before.CountMovedSlots(after));
    }

    [Fact]
    public void A_node_listed_without_an_address_is_the_node_that_answered()
    {
        // A node that has never met another (a one-node cluster) does not know its own IP: endpoint and ip are empty.
        RespValue node = Pairs(true, S("id"), S("solo"), S("port"), I(7100), S("ip"), S(""), S("endpoint"), S(""), S("role"), S("master"), S("health"), S("online"));
        RespValue reply = RespValue.FromArray([Shard(true, [(0, 16383)], node)]);
        ClusterShard shard = Assert.Single(TopologyParser.ParseShards(reply, useTlsPort: false, answeredBy: new NodeEndpoint("10.0.0.7", 7100)));
        Assert.Equal(new NodeEndpoint("10.0.0.7", 7100), shard.Primary.Endpoint);
        Assert.Throws<RespProtocolException>(() => TopologyParser.ParseShards(reply, useTlsPort: false)); // with nobody to stand in for it

        RespValue slots = RespValue.FromArray([RespValue.FromArray([I(0), I(16383), RespValue.FromArray([S(""), I(7100), S("solo")])])]);
        Assert.Equal("10.0.0.7", Assert.Single(TopologyParser.ParseSlots(slots, new NodeEndpoint("10.0.0.7", 7100))).Primary.Endpoint.Host);
        RespValue unknown = RespValue.FromArray([RespValue.FromArray([I(0), I(16383), RespValue.FromArray([S("?"), I(7100), S("solo")])])]);
        Assert.Throws<RespProtocolException>(() => TopologyParser.ParseSlots(unknown, new NodeEndpoint("10.0.0.7", 7100))); // "?" means unknown, not "me"
    }
}
