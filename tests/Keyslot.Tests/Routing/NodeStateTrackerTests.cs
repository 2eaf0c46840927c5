using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Keyslot.Connections;
using Keyslot.Routing;
using Keyslot.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot.Tests.Routing;

/// <summary>
/// The per-node connection states behind ConnectionFailed/ConnectionRestored and GetHealth, against a port where
/// nothing listens (no server): one failure per outage, not one per attempt; other roles ignored; departed nodes forgotten.
/// </summary>
public sealed class NodeStateTrackerTests
{
    private static (NodeEndpoint Endpoint, ConnectionFactory Factory) ClosedNode()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        ClusterOptions options = ClusterOptions.Parse($"127.0.0.1:{port},connectTimeout=500");
        return (NodeEndpoint.Parse($"127.0.0.1:{port}"), new ConnectionFactory(ConnectionSettings.From(options), NullLogger.Instance));
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), what + " did not happen within 10 s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Failed_attempts_of_an_unreachable_node_are_reported_once_per_outage_with_the_error()
    {
        (NodeEndpoint endpoint, ConnectionFactory factory) = ClosedNode();
        var tracker = new NodeStateTracker();
        var changes = new ConcurrentQueue<(NodeEndpoint Endpoint, Exception? Error, bool Restored)>();
        tracker.Changed = (e, error, restored) => changes.Enqueue((e, error, restored));
        await using var connector = new NodeConnector(endpoint, factory);
        int attempts = 0;
        connector.ConnectAttemptEnded += () =>
        {
            tracker.OnAttemptEnded(connector);
            Interlocked.Increment(ref attempts);
        };
        Assert.False(tracker.Get(endpoint).Known);

        // Three attempts, each after the previous one's backoff: every one fails.
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            await UntilAsync(() =>
            {
                connector.EnsureConnecting(out _);
                return Volatile.Read(ref attempts) >= attempt;
            }, $"attempt {attempt}");
        }

        (NodeEndpoint reported, Exception? error, bool restored) = Assert.Single(changes);
        Assert.Equal(endpoint, reported);
        Assert.NotNull(error);
        Assert.False(restored);
        (bool known, bool connected, Exception? lastError) = tracker.Get(endpoint);
        Assert.True(known);
        Assert.False(connected);
        Assert.NotNull(lastError);
        Assert.Equal(endpoint, tracker.AnyLastError()?.Endpoint);
    }

    [Fact]
    public async Task Connectors_of_other_roles_are_not_tracked_and_departed_nodes_are_forgotten()
    {
        (NodeEndpoint endpoint, ConnectionFactory factory) = ClosedNode();
        var tracker = new NodeStateTracker();
        int changes = 0;
        tracker.Changed = (_, _, _) => Interlocked.Increment(ref changes);
        await using var replicaReads = new NodeConnector(endpoint, factory, ConnectionRole.ReplicaReads);
        await using var interactive = new NodeConnector(endpoint, factory);
        int ended = 0;
        replicaReads.ConnectAttemptEnded += () => { tracker.OnAttemptEnded(replicaReads); Interlocked.Increment(ref ended); };
        interactive.ConnectAttemptEnded += () => { tracker.OnAttemptEnded(interactive); Interlocked.Increment(ref ended); };

        replicaReads.EnsureConnecting(out _);
        await UntilAsync(() => Volatile.Read(ref ended) == 1, "the replica-reads attempt");
        Assert.Equal(0, Volatile.Read(ref changes));
        Assert.False(tracker.Get(endpoint).Known);

        interactive.EnsureConnecting(out _);
        await UntilAsync(() => Volatile.Read(ref ended) == 2, "the interactive attempt");
        Assert.Equal(1, Volatile.Read(ref changes));
        Assert.True(tracker.Get(endpoint).Known);

        tracker.Prune(SlotMap.Build([])); // a map that no longer lists the node
        Assert.False(tracker.Get(endpoint).Known);
        Assert.Null(tracker.AnyLastError());
    }
}
