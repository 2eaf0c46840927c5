using System.Buffers;
using BenchmarkDotNet.Attributes;
using Keyslot.Protocol;
using Keyslot.Topology;

namespace Keyslot.Benchmarks;

/// <summary>
/// What one topology refresh costs the client on ElastiCache's largest cluster (issue 17): a CLUSTER SHARDS reply of
/// 90 shards × 6 nodes (540 nodes), scanned, materialized, parsed into shards, built into the slot map, and compared
/// with the current map (an unchanged answer changes nothing), as <c>TopologySource.FetchAsync</c> and
/// <c>TopologyRefresher</c> do.
/// </summary>
[MemoryDiagnoser]
public class TopologyRefreshBenchmarks
{
    private ReadOnlySequence<byte> _reply;
    private SlotMap _current = null!;
    private IReadOnlyList<ClusterShard> _shards = null!;
    private NodeEndpoint[] _connectors = null!;

    [GlobalSetup]
    public void Setup()
    {
        _reply = new(ClusterShardsReply.Build(shards: 90, nodesPerShard: 6));
        _current = Apply();
        _shards = _current.Shards;
        // The connectors a client holds on such a cluster with a replica read policy: every node interactive, every replica for reads.
        NodeEndpoint[] nodes = [.. _shards.SelectMany(s => s.Replicas.Select(r => r.Endpoint).Prepend(s.Primary.Endpoint))];
        _connectors = [.. nodes, .. _shards.SelectMany(s => s.Replicas.Select(r => r.Endpoint))];
    }

    /// <summary>Building a changed map alone (the baseline of the next one).</summary>
    [Benchmark]
    public int Build_90x6() => SlotMap.Build(_shards).Shards.Count;

    /// <summary>
    /// Building a changed map, then what applying it asks for each of the 990 connectors (NodeRegistry.RemoveDeparted):
    /// is this node still in the map?
    /// </summary>
    [Benchmark]
    public int BuildAndCheckDeparted_90x6()
    {
        SlotMap map = SlotMap.Build(_shards);
        int kept = 0;
        foreach (NodeEndpoint endpoint in _connectors) if (map.Contains(endpoint)) kept++;
        return kept;
    }

    /// <summary>Scan, read the whole reply, parse 540 nodes, build the 16,384-slot map.</summary>
    [Benchmark]
    public int ParseAndBuild_90x6() => Apply().Shards.Count;

    /// <summary>The same, then the comparison a refresh makes before it applies anything.</summary>
    [Benchmark]
    public bool ParseBuildAndCompare_90x6() => Apply().SameAs(_current);

    private SlotMap Apply()
    {
        var state = default(RespScanState);
        if (!RespFrameScanner.TryScan(ref state, _reply, RespLimits.Default, out long length)) throw new InvalidOperationException("incomplete");
        var reader = new RespReader(_reply.Slice(0, length));
        reader.Read();
        return SlotMap.Build(TopologyParser.ParseShards(reader.ReadValue(), useTlsPort: false));
    }
}
