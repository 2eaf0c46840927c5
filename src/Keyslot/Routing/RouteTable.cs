using Keyslot.Connections;
using Keyslot.Topology;

namespace Keyslot.Routing;

/// <summary>
/// A <see cref="SlotMap"/> bound to the connectors of its primaries: slot → shard → connector in two array reads.
/// Immutable; the router swaps the whole table.
/// </summary>
internal sealed class RouteTable
{
    private readonly NodeConnector[] _primaries;
    private readonly NodeConnector[][] _replicas;
    private int _roundRobin;

    public RouteTable(SlotMap map, NodeConnector[] primaries, NodeConnector[][] replicas)
    {
        Map = map;
        _primaries = primaries;
        _replicas = replicas;
    }

    /// <summary>The primary of shard <paramref name="shard"/>.</summary>
    public NodeConnector Primary(int shard) => _primaries[shard];

    /// <summary>The replicas of shard <paramref name="shard"/> that the topology reports as online.</summary>
    public NodeConnector[] Replicas(int shard) => _replicas[shard];

    public SlotMap Map { get; }

    public IReadOnlyList<NodeConnector> Primaries => _primaries;

    /// <summary>The primary that owns <paramref name="slot"/>; any primary (round robin) for a keyless command; null when the slot has no owner.</summary>
    public NodeConnector? PrimaryFor(int slot)
    {
        if (slot == KeySlot.None) return AnyPrimary();
        ushort shard = Map.ShardOf(slot);
        return shard == SlotMap.Unassigned ? null : _primaries[shard];
    }

    public NodeConnector? AnyPrimary()
    {
        NodeConnector[] primaries = _primaries;
        if (primaries.Length == 0) return null;
        // Keyless commands spread over shards that own slots; a primary with none may be on its way out.
        for (int tries = 0; tries < primaries.Length; tries++)
        {
            int index = (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)primaries.Length);
            if (Map.Shards[index].Slots.Count > 0) return primaries[index];
        }
        return primaries[0];
    }
}
