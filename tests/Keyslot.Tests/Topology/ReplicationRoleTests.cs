using Keyslot.Protocol;
using Keyslot.Topology;

namespace Keyslot.Tests.Topology;

public sealed class ReplicationRoleTests
{
    private static readonly NodeEndpoint Asked = new("primary.example", 6379);

    private static RespValue S(string text) => RespValue.FromString(text);

    private static RespValue I(long value) => RespValue.FromInt64(value);

    private static RespValue A(params RespValue[] items) => RespValue.FromArray(items);

    [Fact]
    public void A_primary_lists_its_replicas_sorted_by_endpoint()
    {
        // ROLE of a primary: the replicas' ports are bulk strings, as Redis sends them.
        RespValue reply = A(S("master"), I(3129659), A(A(S("10.0.0.9"), S("6380"), S("3129242")), A(S("10.0.0.2"), S("6381"), S("3129543"))));
        ReplicationRole role = ReplicationRole.ParseRole(reply, Asked);
        Assert.Null(role.Primary);
        Assert.Equal([new NodeEndpoint("10.0.0.2", 6381), new NodeEndpoint("10.0.0.9", 6380)], role.Replicas);
    }

    [Fact]
    public void A_primary_without_replicas_has_none()
    {
        ReplicationRole role = ReplicationRole.ParseRole(A(S("master"), I(0), A()), Asked);
        Assert.Null(role.Primary);
        Assert.Empty(role.Replicas);
    }

    [Fact]
    public void A_replica_names_the_primary_it_follows()
    {
        ReplicationRole role = ReplicationRole.ParseRole(A(S("slave"), S("10.0.0.1"), I(6379), S("connected"), I(3167038)), Asked);
        Assert.Equal(new NodeEndpoint("10.0.0.1", 6379), role.Primary);
        Assert.Empty(role.Replicas);
    }

    [Fact]
    public void A_sentinel_is_refused_with_a_message_that_says_what_to_do()
    {
        var error = Assert.Throws<RedisException>(() => ReplicationRole.ParseRole(A(S("sentinel"), A(S("mymaster"))), Asked));
        Assert.Contains("primary.example:6379 is a Redis Sentinel", error.Message);
        Assert.Contains("list the primary's", error.Message);
    }

    [Theory]
    [InlineData("follower")]
    [InlineData("")]
    public void An_unknown_role_is_a_protocol_error(string name)
    {
        var error = Assert.Throws<RespProtocolException>(() => ReplicationRole.ParseRole(A(S(name), I(0)), Asked));
        Assert.Contains("ROLE reply", error.Message);
    }

    [Fact]
    public void A_replica_entry_with_a_bad_port_is_a_protocol_error()
    {
        RespValue reply = A(S("master"), I(0), A(A(S("10.0.0.9"), S("0"), S("1"))));
        var error = Assert.Throws<RespProtocolException>(() => ReplicationRole.ParseRole(reply, Asked));
        Assert.Contains("port 0", error.Message);
    }

    [Fact]
    public void Info_replication_of_a_primary_lists_only_online_replicas()
    {
        const string info = "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n" +
            "slave0:ip=10.0.0.9,port=6380,state=online,offset=42,lag=0\r\n" +
            "slave1:ip=10.0.0.8,port=6381,state=wait_bgsave,offset=0,lag=0\r\n" +
            "master_failover_state:no-failover\r\nmaster_replid:abc\r\n";
        ReplicationRole role = ReplicationRole.ParseInfo(info);
        Assert.Null(role.Primary);
        Assert.Equal([new NodeEndpoint("10.0.0.9", 6380)], role.Replicas);
    }

    [Fact]
    public void Info_replication_of_a_replica_names_its_primary()
    {
        const string info = "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n";
        ReplicationRole role = ReplicationRole.ParseInfo(info);
        Assert.Equal(new NodeEndpoint("10.0.0.1", 6379), role.Primary);
    }

    [Fact]
    public void Info_without_a_role_is_a_protocol_error()
    {
        var error = Assert.Throws<RespProtocolException>(() => ReplicationRole.ParseInfo("# Replication\r\nconnected_slaves:0\r\n"));
        Assert.Contains("no role line", error.Message);
    }

    [Fact]
    public void A_map_without_cluster_mode_gives_every_slot_to_the_primary_and_differs_from_a_cluster_map()
    {
        var primary = new NodeEndpoint("10.0.0.1", 6379);
        SlotMap map = SlotMap.NonCluster(primary, [new NodeEndpoint("10.0.0.2", 6379)]);
        Assert.False(map.IsCluster);
        Assert.Equal(16384, map.AssignedSlots);
        SlotRange range = Assert.Single(map.Ranges);
        Assert.Equal((0, 16383, primary), (range.Start, range.End, range.Primary));
        Assert.Equal([new NodeEndpoint("10.0.0.2", 6379)], range.Replicas);

        Assert.True(map.SameAs(SlotMap.NonCluster(primary, [new NodeEndpoint("10.0.0.2", 6379)])));
        Assert.False(map.SameAs(SlotMap.NonCluster(primary, [])));
        SlotMap cluster = SlotMap.Build([new ClusterShard(new ClusterNodeInfo("", primary, true, "online"), [new ClusterNodeInfo("", new NodeEndpoint("10.0.0.2", 6379), false, "online")], [(0, 16383)])]);
        Assert.True(cluster.IsCluster);
        Assert.False(map.SameAs(cluster));
    }
}
