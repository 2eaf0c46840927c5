using System.Collections.Concurrent;
using Keyslot.Connections;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Connections know their role, and out-of-band frames reach a push handler instead of being dropped: RESP3 pushes
/// (also behind attributes) from a real server's CLIENT TRACKING, and RESP2 pub/sub messages on a subscriber
/// connection (forced by a scripted RESP2 node). Replies keep going to the commands that asked.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PushChannelTests
{
    private readonly LocalRedisCluster _cluster;

    public PushChannelTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    /// <summary>Records each push as its elements' text, joined by spaces.</summary>
    private sealed class Recorder : IPushHandler
    {
        public ConcurrentQueue<(ConnectionRole Role, string Text)> Pushes { get; } = new();

        public void OnPush(NodeConnection connection, ref RespReader reader) =>
            Pushes.Enqueue((connection.Role, Describe(reader.ReadValue())));

        private static string Describe(RespValue value) =>
            value.IsAggregate ? string.Join(' ', value.AsSpan().ToArray().Select(Describe)) : value.AsString() ?? "(nil)";
    }

    private static async Task<string> FirstAsync(Recorder recorder, Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!timeout.IsCancellationRequested)
        {
            foreach ((_, string text) in recorder.Pushes) if (match(text)) return text;
            await Task.Delay(20);
        }
        throw new TimeoutException("no matching push; got: " + string.Join(" | ", recorder.Pushes.Select(p => p.Text)));
    }

    [Fact]
    public async Task A_tracking_connection_is_told_by_a_push_when_another_client_changes_what_it_read()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string key = "{push}tracked";
        await client.StringSetAsync(key, "v1");
        NodeEndpoint owner = client.Topology.GetPrimary(ClusterClient.GetSlot(key))!.Value;
        var recorder = new Recorder();
        NodeConnector tracking = client.Router.GetConnector(owner, ConnectionRole.Tracking, recorder);
        Assert.Throws<InvalidOperationException>(() => client.Router.GetConnector(owner, ConnectionRole.Tracking, new Recorder())); // one handler per node and role

        NodeConnection connection = await tracking.ConnectAsync(CancellationToken.None);
        Assert.Equal(ConnectionRole.Tracking, connection.Role);
        Assert.True(connection.Session.Tracking);
        Assert.Equal(3, connection.Session.ProtocolVersion);
        Assert.Equal("v1", (await connection.SendDirectAsync(RespCommand.Create("GET", key), WholeReply.Parser)).AsString());

        await client.StringSetAsync(key, "v2"); // another connection changes it: the server pushes an invalidation
        Assert.Equal("invalidate " + key, await FirstAsync(recorder, t => t.StartsWith("invalidate", StringComparison.Ordinal)));
        Assert.Equal(ConnectionRole.Tracking, recorder.Pushes.First().Role);
        // The connection stays in step: the next reply is the next command's.
        Assert.Equal("v2", (await connection.SendDirectAsync(RespCommand.Create("GET", key), WholeReply.Parser)).AsString());
        Assert.Equal(0, connection.DroppedPushes);
    }

    [Fact]
    public async Task The_interactive_connection_is_not_tracked_and_keeps_no_push_handler()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        await client.StringSetAsync("{push}plain", "x");
        NodeEndpoint owner = client.Topology.GetPrimary(ClusterClient.GetSlot("{push}plain"))!.Value;
        NodeConnection interactive = await client.Router.GetConnector(owner).ConnectAsync(CancellationToken.None);
        Assert.Equal(ConnectionRole.Interactive, interactive.Role);
        Assert.False(interactive.Session.Tracking);
        RespValue info = await interactive.SendDirectAsync(RespCommand.Create("CLIENT", "TRACKINGINFO"), WholeReply.Parser);
        Assert.Contains("off", info.AsMap()["flags"].AsSpan().ToArray().Select(f => f.AsString()));
    }

    [Fact]
    public async Task On_a_RESP2_subscriber_connection_pubsub_messages_reach_the_handler_and_replies_their_commands()
    {
        await using var node = FakeRedisNode.Start(c => c[0] == "PING"
            // What a RESP2 server sends a subscriber: pub/sub arrays (a confirmation, messages), then the reply to the
            // command, which in subscribed mode is an array too.
            ? "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n" +
              "*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n"
            : null);
        node.SupportsHello = false;
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",connectRetry=1,topologyRefreshSeconds=0");
        var recorder = new Recorder();
        NodeConnector subscriber = client.Router.GetConnector(new NodeEndpoint("127.0.0.1", node.Port), ConnectionRole.Subscriber, recorder);
        NodeConnection connection = await subscriber.ConnectAsync(CancellationToken.None);
        Assert.Equal(2, connection.ProtocolVersion);

        RespValue pong = await connection.SendDirectAsync(RespCommand.Create("PING"), WholeReply.Parser);
        Assert.Equal(["pong", ""], pong.AsSpan().ToArray().Select(v => v.AsString()));
        Assert.Equal(["subscribe ch 1", "message ch hello", "pmessage c* ch hi"], recorder.Pushes.Select(p => p.Text).ToArray());
        Assert.Equal(0, connection.InFlight);
    }

    [Fact]
    public async Task On_other_RESP2_connections_an_array_is_a_reply()
    {
        await using var node = FakeRedisNode.Start(c => c[0] == "LRANGE" ? "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n" : null);
        node.SupportsHello = false;
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",connectRetry=1,topologyRefreshSeconds=0");
        RespValue list = await client.ExecuteAsync("LRANGE", "l", 0, -1); // a list that happens to start with "message"
        Assert.Equal(["message", "ch", "hello"], list.AsSpan().ToArray().Select(v => v.AsString()));
    }
}
