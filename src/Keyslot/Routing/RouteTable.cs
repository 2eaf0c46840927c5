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
    private int _roundRobin;

    public RouteTable(SlotMap map, NodeConnector[] primaries)
    {
        Map = map;
        _primaries = primaries;
    }

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
