using System.Globalization;
using System.Runtime.CompilerServices;
using Keyslot.Protocol;
using Keyslot.Routing;
using Keyslot.Slots;
using Keyslot.Topology;

namespace Keyslot;

/// <summary>
/// SCAN over the whole cluster that holds while slots move. It tracks which SLOTS are finished, not only node cursors:
/// a node's full SCAN pass finishes the slots that node owned, and was not migrating, both before and after the pass
/// (a slot that moved during it is scanned again on its new owner). Only keys of slots the scanned node owned at the
/// start of its pass are returned from it, so a key is returned once when the topology is stable, and at least once
/// when it existed for the whole scan, whatever moved. Not covered: a slot that moved away and back within one pass.
/// </summary>
internal sealed class ClusterScanner
{
    private const int MaxRounds = 100;
    private readonly ClusterClient _client;
    private readonly Router _router;

    public ClusterScanner(ClusterClient client, Router router)
    {
        _client = client;
        _router = router;
    }

    public async IAsyncEnumerable<string> ScanAsync(string? pattern, int pageSize, string? type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var finished = new bool[HashSlot.Count];
        for (int round = 0; round < MaxRounds; round++)
        {
            SlotMap map = _router.CurrentMap;
            if (AllFinished(map, finished)) yield break;
            bool progress = false;
            foreach (ClusterShard shard in map.Shards)
            {
                NodeEndpoint node = shard.Primary.Endpoint;
                bool[] pending = PendingSlotsOf(map, node, finished, out int pendingCount);
                if (pendingCount == 0) continue;
                HashSet<int> migratingBefore = await MigratingSlotsAsync(node, cancellationToken).ConfigureAwait(false);
                await foreach ((string key, int slot) in ScanNodeWithSlotsAsync(node, pattern, pageSize, type, cancellationToken).ConfigureAwait(false))
                {
                    if (pending[slot]) yield return key;
                }
                await _router.Refresher.RequestAsync("cluster scan").ConfigureAwait(false);
                SlotMap after = _router.CurrentMap;
                HashSet<int> migratingAfter = await MigratingSlotsAsync(node, cancellationToken).ConfigureAwait(false);
                for (int slot = 0; slot < HashSlot.Count; slot++)
                {
                    if (!pending[slot] || migratingBefore.Contains(slot) || migratingAfter.Contains(slot)) continue;
                    ushort owner = after.ShardOf(slot);
                    if (owner != SlotMap.Unassigned && after.Shards[owner].Primary.Endpoint == node)
                    {
                        finished[slot] = true;
                        progress = true;
                    }
                }
            }
            if (!progress) await Task.Delay(100, cancellationToken).ConfigureAwait(false); // slots are moving: wait for them to land
        }
        throw new RedisException($"The cluster SCAN could not finish every slot after {MaxRounds} rounds: slots kept moving.");
    }

    /// <summary>SCAN of one node: every key it holds (all its slots), page by page.</summary>
    public async IAsyncEnumerable<string> ScanNodeAsync(NodeEndpoint node, string? pattern, int pageSize, string? type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach ((string key, _) in ScanNodeWithSlotsAsync(node, pattern, pageSize, type, cancellationToken).ConfigureAwait(false))
        {
            yield return key;
        }
    }

    private async IAsyncEnumerable<(string Key, int Slot)> ScanNodeWithSlotsAsync(NodeEndpoint node, string? pattern, int pageSize, string? type,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var args = new List<RedisArgument>(7) { "0" };
        if (pattern is not null) args.AddRange(["MATCH", pattern]);
        args.AddRange(["COUNT", pageSize]);
        if (type is not null) args.AddRange(["TYPE", type]);
        do
        {
            RespValue page = await _client.ExecuteOnNodeAsync(node, "SCAN", args, cancellationToken).ConfigureAwait(false);
            args[0] = page[0].AsString() ?? "0";
            foreach (RespValue key in page[1].AsArray())
            {
                byte[] bytes = key.AsBytes() ?? [];
                yield return (System.Text.Encoding.UTF8.GetString(bytes), HashSlot.Of(bytes));
            }
        }
        while (args[0].ToString() != "0");
    }

    /// <summary>Slots this node is migrating away (<c>[slot-&gt;-target]</c> on its own CLUSTER NODES line).</summary>
    private async Task<HashSet<int>> MigratingSlotsAsync(NodeEndpoint node, CancellationToken cancellationToken)
    {
        var slots = new HashSet<int>();
        string nodes = (await _client.ExecuteOnNodeAsync(node, "CLUSTER", ["NODES"], cancellationToken).ConfigureAwait(false)).AsString() ?? "";
        foreach (string line in nodes.Split('\n'))
        {
            if (!line.Contains("myself", StringComparison.Ordinal)) continue;
            foreach (string token in line.Split(' '))
            {
                int arrow = token.IndexOf("->-", StringComparison.Ordinal);
                if (token.StartsWith('[') && arrow > 1 && int.TryParse(token.AsSpan(1, arrow - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int slot))
                {
                    slots.Add(slot);
                }
            }
        }
        return slots;
    }

    private static bool[] PendingSlotsOf(SlotMap map, NodeEndpoint node, bool[] finished, out int count)
    {
        var pending = new bool[HashSlot.Count];
        count = 0;
        for (int slot = 0; slot < HashSlot.Count; slot++)
        {
            ushort owner = map.ShardOf(slot);
            if (!finished[slot] && owner != SlotMap.Unassigned && map.Shards[owner].Primary.Endpoint == node)
            {
                pending[slot] = true;
                count++;
            }
        }
        return pending;
    }

    private static bool AllFinished(SlotMap map, bool[] finished)
    {
        for (int slot = 0; slot < HashSlot.Count; slot++)
        {
            if (!finished[slot] && map.ShardOf(slot) != SlotMap.Unassigned) return false;
        }
        return true;
    }
}
