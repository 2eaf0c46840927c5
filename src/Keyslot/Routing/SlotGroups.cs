using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// Splits the keys of a multi-key command by hash slot, remembering each key's position so that per-slot replies can
/// be merged back in the caller's order. Keys that share a slot (a hashtag) stay together in one sub-command.
/// </summary>
internal sealed class SlotGroups
{
    private readonly Dictionary<int, List<int>> _bySlot = new();

    /// <param name="keys">The command's keys.</param>
    /// <param name="bySlot">
    /// False where one node holds every slot (a server without cluster mode): all keys form one group, under the first
    /// key's slot, so the command is sent whole instead of split.
    /// </param>
    public SlotGroups(ReadOnlySpan<RedisKey> keys, bool bySlot = true)
    {
        int firstSlot = KeySlot.None;
        for (int i = 0; i < keys.Length; i++)
        {
            int slot = bySlot || firstSlot == KeySlot.None ? KeySlot.Of(keys[i]) : firstSlot;
            firstSlot = slot;
            if (!_bySlot.TryGetValue(slot, out List<int>? positions))
            {
                positions = [];
                _bySlot.Add(slot, positions);
            }
            positions.Add(i);
        }
    }

    public int Count => _bySlot.Count;

    /// <summary>Each slot with the positions (in the caller's list) of its keys, in first-seen order.</summary>
    public IEnumerable<KeyValuePair<int, List<int>>> Groups => _bySlot;

    /// <summary>The first group (the only one when <see cref="Count"/> is 1), without enumerating through an interface.</summary>
    public KeyValuePair<int, List<int>> FirstGroup
    {
        get
        {
            foreach (KeyValuePair<int, List<int>> group in _bySlot) return group;
            throw new InvalidOperationException("There are no keys to group.");
        }
    }

    /// <summary>Any two different slots, for a cross-slot error.</summary>
    public (int First, int Other) TwoSlots()
    {
        using IEnumerator<int> slots = _bySlot.Keys.GetEnumerator();
        slots.MoveNext();
        int first = slots.Current;
        slots.MoveNext();
        return (first, slots.Current);
    }
}
