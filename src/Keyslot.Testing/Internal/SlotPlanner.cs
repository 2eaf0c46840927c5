namespace Keyslot.Testing.Internal;

/// <summary>Slot arithmetic: even splits and rebalance plans.</summary>
internal static class SlotPlanner
{
    private const int SlotCount = LocalRedisCluster.SlotCount;

    /// <summary>The contiguous range the <paramref name="index"/>-th of <paramref name="count"/> primaries gets.</summary>
    public static (int Start, int End) EvenRange(int index, int count)
    {
        var start = 0;
        for (var i = 0; i < index; i++)
        {
            start += Target(i, count);
        }

        return (start, start + Target(index, count) - 1);
    }

    /// <summary>How many slots the <paramref name="index"/>-th of <paramref name="count"/> primaries should own.</summary>
    public static int Target(int index, int count) => (SlotCount / count) + (index < SlotCount % count ? 1 : 0);

    /// <summary>
    /// Moves that make every owner hold its even share: slots leave the owners above target (highest slots first)
    /// and go to those below it.
    /// </summary>
    /// <param name="owned">Each primary's id with the slots it owns, in a stable order.</param>
    /// <returns>(slot, from, to) moves grouped by source and destination.</returns>
    public static IReadOnlyList<(int Slot, string From, string To)> Rebalance(IReadOnlyList<(string Id, IReadOnlyList<int> Slots)> owned)
    {
        var count = owned.Count;
        var surplus = new Queue<(int Slot, string From)>();
        var deficits = new List<(string Id, int Need)>();
        for (var i = 0; i < count; i++)
        {
            var target = Target(i, count);
            var (id, slots) = owned[i];
            if (slots.Count > target)
            {
                foreach (var slot in slots.OrderByDescending(s => s).Take(slots.Count - target))
                {
                    surplus.Enqueue((slot, id));
                }
            }
            else if (slots.Count < target)
            {
                deficits.Add((id, target - slots.Count));
            }
        }

        var moves = new List<(int, string, string)>();
        foreach (var (id, need) in deficits)
        {
            for (var n = 0; n < need && surplus.Count > 0; n++)
            {
                var (slot, from) = surplus.Dequeue();
                moves.Add((slot, from, id));
            }
        }

        return moves;
    }
}
