namespace Keyslot;

/// <summary>A contiguous range of hash slots and the nodes that serve it, as <c>CLUSTER SLOTS</c> shows it.</summary>
/// <param name="Start">First slot, inclusive.</param>
/// <param name="End">Last slot, inclusive.</param>
/// <param name="Primary">The primary that owns the range.</param>
/// <param name="Replicas">Its replicas.</param>
public sealed record SlotRange(int Start, int End, NodeEndpoint Primary, IReadOnlyList<NodeEndpoint> Replicas)
{
    /// <summary>Number of slots in the range.</summary>
    public int Count => End - Start + 1;

    /// <summary>True when <paramref name="slot"/> is in the range.</summary>
    public bool Contains(int slot) => slot >= Start && slot <= End;
}
