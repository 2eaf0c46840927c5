using System.Globalization;
using System.Runtime.CompilerServices;
using Keyslot.Protocol;
using Keyslot.Routing;
using Keyslot.Slots;
using Keyslot.Topology;

namespace Keyslot;

/// <summary>
/// SCAN over the whole cluster that holds while slots move. It tracks which SLOTS are finished, not only node cursors:
/// a node's full SCAN pass finishes the slots that node owned, and was not migrating, both before and after the pass,
/// by the node's own account (a slot that moved during it is scanned again on its new owner). Only keys of slots the
/// scanned node owned at the start of its pass are returned from it, so a key is returned once when the topology is
/// stable, and at least once when it existed for the whole scan, whatever moved. A slot that stays migrating (a slow
/// or stuck reshard) is finished by a full pass of its source followed by one of its importing node; its keys may then
/// be returned twice. Not covered: a slot that moved away and back within one pass; keys moved back from the importing
/// node to the source between those two passes (a repaired migration); an importing node missing from the map
/// (CLUSTER SLOTS, on servers before Redis 7, lists no slot-less node).
/// </summary>
internal sealed class ClusterScanner
{
    /// <summary>Rounds in a row that may finish nothing (about 100 ms each) before the scan gives up.</summary>
    private const int MaxStalledRounds = 300;
    private readonly ClusterClient _client;
    private readonly Router _router;

    public ClusterScanner(ClusterClient client, Router router)
    {
        _client = client;
        _router = router;
    }

    /// <summary>Keys as text (UTF-8).</summary>
    public static readonly Func<byte[], string> AsText = static key => System.Text.Encoding.UTF8.GetString(key);

    /// <summary>Keys exactly as stored (binary keys intact).</summary>
    public static readonly Func<byte[], RedisKey> AsKey = static key => new RedisKey(key);

    public async IAsyncEnumerable<T> ScanAsync<T>(string? pattern, int pageSize, string? type, Func<byte[], T> convert,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var finished = new bool[HashSlot.Count];
        // Migrating slots whose source has had a full pass while migrating to one target: (source id, target id).
        // The slot is finished by a later full pass of that target while it is still importing from that source:
        // every key either was on the source for its whole pass, or had moved to the target before the target's pass.
        var sourcePassed = new Dictionary<int, (string Source, string Target)>();
        for (int stalled = 0; stalled < MaxStalledRounds;)
        {
            SlotMap map = _router.CurrentMap;
            if (AllFinished(map, finished)) yield break;
            bool progress = false;
            foreach (ClusterShard shard in map.Shards)
            {
                NodeEndpoint node = shard.Primary.Endpoint;
                bool[] pending = PendingSlotsOf(map, node, finished, out int pendingCount);
                if (pendingCount == 0 && sourcePassed.Count == 0) continue;
                NodeSlots before = await NodeSlotsAsync(node, cancellationToken).ConfigureAwait(false);
                bool[] importing = ImportingSlotsReady(before, sourcePassed, finished, out int importingCount);
                if (pendingCount == 0 && importingCount == 0) continue;
                await foreach ((byte[] key, int slot) in ScanNodeWithSlotsAsync(node, pattern, pageSize, type, cancellationToken).ConfigureAwait(false))
                {
                    if ((pending[slot] && before.Owned[slot] && !PassedAsSource(slot, before)) || importing[slot]) yield return convert(key);
                }
                // Which slots the pass covered is decided by the node's own view after it, not by the client's map,
                // which may not have caught up with a move that happened during the pass.
                NodeSlots after = await NodeSlotsAsync(node, cancellationToken).ConfigureAwait(false);
                for (int slot = 0; slot < HashSlot.Count; slot++)
                {
                    if (importing[slot])
                    {
                        // Still importing from the same source, or the import completed during the pass: covered.
                        if (after.Owned[slot] || (after.Importing.TryGetValue(slot, out string? from) && from == sourcePassed[slot].Source)) Finish(slot);
                        continue;
                    }
                    if (!pending[slot] || !before.Owned[slot] || !after.Owned[slot]) continue;
                    bool migratingBefore = before.Migrating.TryGetValue(slot, out string? target);
                    bool migratingAfter = after.Migrating.TryGetValue(slot, out string? targetAfter);
                    if (!migratingBefore && !migratingAfter)
                    {
                        Finish(slot);
                    }
                    else if (migratingBefore && migratingAfter && target == targetAfter
                        && (!sourcePassed.TryGetValue(slot, out (string Source, string Target) passed) || passed.Source != before.Id || passed.Target != target))
                    {
                        sourcePassed[slot] = (before.Id, target!); // (re)recorded: a migration pointed elsewhere replaces the old entry
                        progress = true;
                    }
                }
            }
            if (progress)
            {
                stalled = 0; // a long reshard may take many rounds; only rounds that finish nothing count against the scan
            }
            else
            {
                // Slots are moving, or the client's map still names their old owner: refresh it and wait for them to land.
                stalled++;
                _router.Refresher.Request("cluster scan");
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            // The source's keys of a slot it is still migrating to the same target were returned by its earlier pass.
            bool PassedAsSource(int slot, NodeSlots node) =>
                sourcePassed.TryGetValue(slot, out (string Source, string Target) passed) && passed.Source == node.Id
                && node.Migrating.TryGetValue(slot, out string? to) && to == passed.Target;

            void Finish(int slot)
            {
                finished[slot] = true;
                sourcePassed.Remove(slot);
                progress = true;
            }
        }
        throw new RedisException($"The cluster SCAN could not finish every slot: {MaxStalledRounds} rounds in a row finished none (slots kept moving, or a migrating slot's target is unreachable).");
    }

    /// <summary>Slots this node is importing from a source whose full pass is done (and which are not finished yet).</summary>
    private static bool[] ImportingSlotsReady(NodeSlots node, Dictionary<int, (string Source, string Target)> sourcePassed, bool[] finished, out int count)
    {
        var ready = new bool[HashSlot.Count];
        count = 0;
        foreach ((int slot, (string source, string target)) in sourcePassed)
        {
            if (!finished[slot] && target == node.Id && node.Importing.TryGetValue(slot, out string? from) && from == source)
            {
                ready[slot] = true;
                count++;
            }
        }
        return ready;
    }

    /// <summary>SCAN of one node: every key it holds (all its slots), page by page.</summary>
    public async IAsyncEnumerable<T> ScanNodeAsync<T>(NodeEndpoint node, string? pattern, int pageSize, string? type, Func<byte[], T> convert,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach ((byte[] key, _) in ScanNodeWithSlotsAsync(node, pattern, pageSize, type, cancellationToken).ConfigureAwait(false))
        {
            yield return convert(key);
        }
    }

    private async IAsyncEnumerable<(byte[] Key, int Slot)> ScanNodeWithSlotsAsync(NodeEndpoint node, string? pattern, int pageSize, string? type,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var args = new List<RedisArgument>(7) { "0" };
        if (pattern is not null) args.AddRange(["MATCH", pattern]);
        args.AddRange(["COUNT", pageSize]);
        if (type is not null) args.AddRange(["TYPE", type]);
        do
        {
            RespValue page = await _client.ExecuteOnNodeAsync(node, "SCAN", args, cancellationToken).ConfigureAwait(false);
            if (page.Type != RespType.Array || page.Count != 2 || page[0].IsAggregate || !page[1].IsAggregate)
            {
                throw new RedisUnexpectedReplyException("SCAN", node, "expected [cursor, keys]");
            }
            args[0] = page[0].AsString() ?? "0";
            foreach (RespValue key in page[1].AsArray())
            {
                byte[] bytes = key.AsBytes() ?? [];
                yield return (bytes, HashSlot.Of(bytes));
            }
        }
        while (args[0].ToString() != "0");
    }

    /// <summary>A node's own view of its slots: its id, the slots it owns, those it is migrating away (to a node id) and importing (from one).</summary>
    private readonly record struct NodeSlots(string Id, bool[] Owned, Dictionary<int, string> Migrating, Dictionary<int, string> Importing);

    /// <summary>
    /// Reads the node's own CLUSTER NODES line (<c>myself</c>): its id first; owned slots as <c>N</c> or <c>N-M</c>;
    /// slots being migrated away as <c>[N-&gt;-target]</c> and imported as <c>[N-&lt;-source]</c> (not owned yet).
    /// </summary>
    private async Task<NodeSlots> NodeSlotsAsync(NodeEndpoint node, CancellationToken cancellationToken)
    {
        var owned = new bool[HashSlot.Count];
        var migrating = new Dictionary<int, string>();
        var importing = new Dictionary<int, string>();
        if (!_router.CurrentMap.IsCluster)
        {
            // Without cluster mode the one primary holds every slot and nothing migrates (and CLUSTER NODES is refused).
            Array.Fill(owned, true);
            return new NodeSlots("", owned, migrating, importing);
        }
        string id = "";
        string nodes = (await _client.ExecuteOnNodeAsync(node, "CLUSTER", ["NODES"], cancellationToken).ConfigureAwait(false)).AsString() ?? "";
        foreach (string line in nodes.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8 || !fields[2].Contains("myself", StringComparison.Ordinal)) continue;
            id = fields[0];
            for (int i = 8; i < fields.Length; i++)
            {
                string token = fields[i];
                if (token.StartsWith('[') && token.EndsWith(']'))
                {
                    int arrow = token.IndexOf("->-", StringComparison.Ordinal);
                    bool away = arrow > 1;
                    if (!away) arrow = token.IndexOf("-<-", StringComparison.Ordinal);
                    if (arrow > 1 && int.TryParse(token.AsSpan(1, arrow - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int moving))
                    {
                        string other = token[(arrow + 3)..^1];
                        if (away) migrating[moving] = other;
                        else importing[moving] = other;
                    }
                    continue;
                }
                int dash = token.IndexOf('-');
                ReadOnlySpan<char> first = dash < 0 ? token : token.AsSpan(0, dash);
                ReadOnlySpan<char> last = dash < 0 ? token : token.AsSpan(dash + 1);
                if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int start)
                    && int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int end))
                {
                    for (int slot = Math.Max(0, start); slot <= Math.Min(end, HashSlot.Count - 1); slot++) owned[slot] = true;
                }
            }
        }
        return new NodeSlots(id, owned, migrating, importing);
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
