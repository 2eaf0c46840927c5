using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>Slots moving under a connected client: MOVED, ASK and TRYAGAIN, each on its own cluster.</summary>
public sealed class RedirectTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<LocalRedisNode> OtherPrimaryThan(LocalRedisNode node) =>
        (await _cluster.GetPrimariesAsync()).First(p => p.Endpoint != node.Endpoint);

    [Fact]
    public async Task Moved_reply_updates_the_slot_and_the_command_succeeds()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string key = "moved:{m1}";
        int slot = ClusterClient.GetSlot(key);
        await client.StringSetAsync(key, "before");
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = await OtherPrimaryThan(source);

        await _cluster.MoveSlotAsync(slot, target);
        Assert.Equal(source.Endpoint, client.Topology.GetPrimary(slot).ToString()); // the client has not noticed yet

        Assert.Equal("before", await client.StringGetAsync(key));                    // MOVED followed
        Assert.Equal(target.Endpoint, client.Topology.GetPrimary(slot).ToString());  // and the slot fixed at once
        Assert.True(await client.StringSetAsync(key, "after"));
        Assert.Equal("after", await _cluster.ExecuteAsync(target, "GET", key));       // the write is on the new owner
    }

    [Fact]
    public async Task Many_commands_hitting_moved_slots_cost_few_refreshes()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",minTopologyRefreshMs=1000");
        LocalRedisNode source = (await _cluster.GetPrimariesAsync())[0];
        LocalRedisNode target = await OtherPrimaryThan(source);
        int refreshesBefore = client.Router.Refresher.RefreshCount;
        await _cluster.MoveSlotsAsync(source, target, 50);

        // Hit every slot many times concurrently: each moved slot answers MOVED, the client must not refresh per reply.
        var tasks = new List<Task<string?>>();
        for (int round = 0; round < 20; round++)
        {
            foreach (SlotRange range in client.Topology.SlotRanges)
            {
                for (int slot = range.Start; slot <= range.End; slot += 97) tasks.Add(client.StringGetAsync(SlotKeys.For(slot)).AsTask());
            }
        }
        await Task.WhenAll(tasks);
        await Task.Delay(1500); // let the one coalesced refresh finish
        int refreshes = client.Router.Refresher.RefreshCount - refreshesBefore;
        Assert.InRange(refreshes, 1, 3);
        foreach (SlotRange range in client.Topology.SlotRanges)
        {
            Assert.Equal((await _cluster.GetSlotOwnerAsync(range.Start)).Endpoint, range.Primary.ToString());
        }
    }

    [Fact]
    public async Task Ask_during_migration_sends_ASKING_and_leaves_the_map_alone()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string moved = "{ask}:moved", stayed = "{ask}:stayed", fresh = "{ask}:fresh";
        int slot = ClusterClient.GetSlot(moved);
        await client.StringSetAsync(moved, "m");
        await client.StringSetAsync(stayed, "s");
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = await OtherPrimaryThan(source);

        await _cluster.BeginSlotMigrationAsync(slot, target);
        await _cluster.MigrateKeysAsync(slot, target, [moved]);

        Assert.Equal("m", await client.StringGetAsync(moved));     // source says ASK → ASKING + GET on target
        Assert.Equal("s", await client.StringGetAsync(stayed));    // still served by the source
        Assert.True(await client.StringSetAsync(fresh, "f"));      // a new key in a migrating slot goes to the target
        Assert.Equal(source.Endpoint, client.Topology.GetPrimary(slot).ToString()); // ASK never changes the map

        await using (LocalRedisConnection onTarget = await _cluster.ConnectAsync(target))
        {
            await onTarget.ExecuteAsync("ASKING");
            Assert.Equal("f", await onTarget.ExecuteAsync("GET", fresh));
        }
        await _cluster.FinishSlotMigrationAsync(slot, target);
        Assert.Equal("s", await client.StringGetAsync(stayed));
        Assert.Equal(target.Endpoint, client.Topology.GetPrimary(slot).ToString());
    }

    [Fact]
    public async Task Mset_then_mget_across_slots_while_a_slot_is_migrating_follows_ask_for_that_part_only()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        string[] keys = [.. Enumerable.Range(0, 300).Select(i => "migrating:" + i)];
        int slot = ClusterClient.GetSlot(keys[0]);
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = await OtherPrimaryThan(source);
        await client.StringSetAsync(keys.Select(k => new KeyValuePair<RedisKey, RedisArgument>(k, "old")));
        await _cluster.BeginSlotMigrationAsync(slot, target);
        await _cluster.MigrateKeysAsync(slot, target, [keys[0]]);

        await client.StringSetAsync(keys.Select(k => new KeyValuePair<RedisKey, RedisArgument>(k, "new:" + k)));
        string?[] values = await client.StringGetAsync([.. keys.Select(k => (RedisKey)k)]);
        Assert.Equal(keys.Select(k => "new:" + k), values);
        await using (LocalRedisConnection onTarget = await _cluster.ConnectAsync(target))
        {
            await onTarget.ExecuteAsync("ASKING");
            Assert.Equal("new:" + keys[0], await onTarget.ExecuteAsync("GET", keys[0])); // the migrated key was written where it now lives
        }
        Assert.Equal(source.Endpoint, client.Topology.GetPrimary(slot).ToString());
        await _cluster.FinishSlotMigrationAsync(slot, target);
    }

    [Fact]
    public async Task A_batch_over_many_slots_re_sends_only_the_commands_of_the_slot_that_moved()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",topologyRefreshSeconds=0");
        int[] slots = [.. Enumerable.Range(0, 200).Select(i => i * 81 + 7)];
        static string ReadKey(int slot) => "{" + SlotKeys.For(slot) + "}:r";
        static string WriteKey(int slot) => "{" + SlotKeys.For(slot) + "}:w";
        await client.StringSetAsync(slots.Select(s => new KeyValuePair<RedisKey, RedisArgument>(ReadKey(s), "r" + s)));
        int moved = slots[100];
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(moved);
        LocalRedisNode target = await OtherPrimaryThan(source);
        await _cluster.MoveSlotAsync(moved, target);
        Assert.Equal(target.Endpoint, (await _cluster.GetSlotOwnerAsync(moved)).Endpoint);
        Assert.Equal(source.Endpoint, client.Topology.GetPrimary(moved).ToString()); // the client's map is now stale for that slot only

        // Where each slot's commands must run: the client's (stale) map, except the moved slot.
        Dictionary<int, string> ownerBefore = slots.ToDictionary(s => s, s => client.Topology.GetPrimary(s).ToString()!);
        IReadOnlyList<LocalRedisNode> primaries = await _cluster.GetPrimariesAsync();
        CommandStats[] getsBefore = await CommandStats.ReadAsync(_cluster, primaries, "get");
        CommandStats[] setsBefore = await CommandStats.ReadAsync(_cluster, primaries, "set");

        ClusterBatch batch = client.CreateBatch();
        var gets = slots.Select(s => (Slot: s, Value: batch.StringGetAsync(ReadKey(s)))).ToList();
        var sets = slots.Select(s => batch.StringSetAsync(WriteKey(s), "w" + s)).ToList();
        batch.Execute();
        foreach ((int slot, ValueTask<string?> value) in gets) Assert.Equal("r" + slot, await value);
        foreach (ValueTask<bool> set in sets) Assert.True(await set);

        CommandStats[] getsAfter = await CommandStats.ReadAsync(_cluster, primaries, "get");
        CommandStats[] setsAfter = await CommandStats.ReadAsync(_cluster, primaries, "set");
        for (int i = 0; i < primaries.Count; i++)
        {
            LocalRedisNode node = primaries[i];
            // Each command ran exactly once where its slot lives now; only the moved slot's two were refused (MOVED) by the old owner.
            int owned = slots.Count(s => (s == moved ? target.Endpoint : ownerBefore[s]) == node.Endpoint);
            var expected = new CommandStats(owned, node.Endpoint == source.Endpoint ? 1 : 0);
            Assert.Equal(expected, getsAfter[i] - getsBefore[i]);
            Assert.Equal(expected, setsAfter[i] - setsBefore[i]);
        }
        Assert.Equal("w" + moved, await _cluster.ExecuteAsync(target, "GET", WriteKey(moved))); // written on the new owner
        Assert.Equal(target.Endpoint, client.Topology.GetPrimary(moved).ToString());
        foreach (int slot in slots.Where(s => s != moved)) Assert.Equal(ownerBefore[slot], client.Topology.GetPrimary(slot).ToString());
    }

    [Fact]
    public async Task Mget_of_100_keys_with_one_slot_mid_migration_sends_every_other_slots_part_exactly_once()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",topologyRefreshSeconds=0,commandTimeout=10000");
        string[] migrating = [.. Enumerable.Range(0, 4).Select(i => "{mgetmig}:" + i)];
        int slot = ClusterClient.GetSlot(migrating[0]);
        string[] spread = [.. Enumerable.Range(0, 200).Select(i => "mgetspread:" + i).Where(k => ClusterClient.GetSlot(k) != slot).Take(96)];
        string Value(string key) => "v:" + key;
        // Every key but one missing key is written, so both order and nils are checked.
        await client.StringSetAsync(migrating.Concat(spread.Skip(1)).Select(k => new KeyValuePair<RedisKey, RedisArgument>(k, Value(k))));
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = await OtherPrimaryThan(source);
        LocalRedisNode bystander = (await _cluster.GetPrimariesAsync()).First(p => p.Endpoint != source.Endpoint && p.Endpoint != target.Endpoint);
        await _cluster.BeginSlotMigrationAsync(slot, target);
        await _cluster.MigrateKeysAsync(slot, target, migrating[..2]);

        // How many per-slot MGET parts each node owns, besides the migrating slot's.
        int PartsOn(LocalRedisNode node) => spread.Select(ClusterClient.GetSlot).Distinct().Count(s => client.Topology.GetPrimary(s).ToString() == node.Endpoint);
        LocalRedisNode[] nodes = [source, target, bystander];

        // Keys of the migrating slot interleaved with the rest, so the merge back into caller order is exercised.
        static RedisKey[] Interleave(string[] rest, string[] slotKeys) =>
            [.. rest.Select((k, i) => (Key: k, Order: i * 10)).Concat(slotKeys.Select((k, i) => (Key: k, Order: i * 230 + 5))).OrderBy(x => x.Order).Select(x => (RedisKey)x.Key)];
        string? Expected(RedisKey key) => key.ToString() == spread[0] ? null : Value(key.ToString());

        // Only moved keys of that slot: the source answers ASK and the part runs on the target once.
        RedisKey[] askKeys = Interleave(spread, migrating[..2]);
        CommandStats[] before = await CommandStats.ReadAsync(_cluster, nodes, "mget");
        Assert.Equal(askKeys.Select(Expected), await client.StringGetAsync(askKeys));
        CommandStats[] after = await CommandStats.ReadAsync(_cluster, nodes, "mget");
        Assert.Equal(new CommandStats(PartsOn(source), 1), after[0] - before[0]);
        Assert.Equal(new CommandStats(PartsOn(target) + 1, 0), after[1] - before[1]);
        Assert.Equal(new CommandStats(PartsOn(bystander), 0), after[2] - before[2]);

        // Moved and unmoved keys of that slot together: TRYAGAIN until the migration ends; the other parts are not re-sent meanwhile.
        RedisKey[] splitKeys = Interleave(spread, migrating);
        before = await CommandStats.ReadAsync(_cluster, nodes, "mget");
        Task<string?[]> mget = client.StringGetAsync(splitKeys).AsTask();
        await Task.Delay(300);
        Assert.False(mget.IsCompleted);
        int sourceParts = PartsOn(source), targetParts = PartsOn(target), bystanderParts = PartsOn(bystander); // before the map changes
        await _cluster.FinishSlotMigrationAsync(slot, target);
        Assert.Equal(splitKeys.Select(Expected), await mget);
        after = await CommandStats.ReadAsync(_cluster, nodes, "mget");
        Assert.Equal(sourceParts, (after[0] - before[0]).Calls);
        Assert.True((after[0] - before[0]).Rejected >= 2, "the source refused the split part at least once (TRYAGAIN) and then redirected it");
        Assert.Equal(new CommandStats(targetParts + 1, 0), after[1] - before[1]);
        Assert.Equal(new CommandStats(bystanderParts, 0), after[2] - before[2]);

        // The retried part ends through MOVED, or through ASK when it reached the source after the last keys had left
        // but before the source's SETSLOT NODE; an ASK rightly leaves the map alone. Either way the next command to
        // the slot is answered MOVED by the source and fixes it.
        Assert.Equal(Value(migrating[3]), await client.StringGetAsync(migrating[3]));
        Assert.Equal(target.Endpoint, client.Topology.GetPrimary(slot).ToString());
    }

    [Fact]
    public async Task Tryagain_for_a_multi_key_command_mid_migration_is_retried_until_it_succeeds()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=10000");
        const string a = "{try}:a", b = "{try}:b";
        int slot = ClusterClient.GetSlot(a);
        await client.StringSetAsync(a, "1");
        await client.StringSetAsync(b, "2");
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = await OtherPrimaryThan(source);
        await _cluster.BeginSlotMigrationAsync(slot, target);
        await _cluster.MigrateKeysAsync(slot, target, [a]); // keys now split between two nodes: MGET gets TRYAGAIN

        await using (LocalRedisConnection direct = await _cluster.ConnectAsync(source))
        {
            var refused = await Assert.ThrowsAsync<LocalRedisCommandException>(() => direct.ExecuteAsync("MGET", a, b));
            Assert.StartsWith("TRYAGAIN", refused.ServerError, StringComparison.Ordinal);
        }

        Task<RespValue> mget = client.ExecuteAsync("MGET", a, b).AsTask();
        await Task.Delay(300);
        Assert.False(mget.IsCompleted); // still retrying with backoff
        await _cluster.FinishSlotMigrationAsync(slot, target);
        RespValue values = await mget;
        Assert.Equal(["1", "2"], values.AsSpan().ToArray().Select(v => v.AsString()));
    }
    [Fact]
    public async Task A_transaction_whose_slot_moved_before_EXEC_is_retried_whole_on_the_new_owner()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string balance = "{txmoved}:balance", log = "{txmoved}:log";
        int slot = ClusterClient.GetSlot(balance);
        await client.StringSetAsync(balance, "100");
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = await OtherPrimaryThan(source);
        await _cluster.MoveSlotAsync(slot, target);
        Assert.Equal(source.Endpoint, client.Topology.GetPrimary(slot).ToString()); // the client still routes to the old owner

        // With a condition: WATCH on the old owner answers MOVED, the whole transaction goes again to the new one.
        ClusterTransaction watched = client.CreateTransaction();
        watched.AddCondition(TransactionCondition.StringEqual(balance, "100"));
        ValueTask<bool> set = watched.StringSetAsync(balance, "90");
        ValueTask<RespValue> pushed = watched.ExecuteAsync("RPUSH", log, "-10");
        Assert.True(await watched.CommitAsync());
        Assert.True(await set);
        Assert.Equal(1, (long)await pushed);
        Assert.Equal(target.Endpoint, client.Topology.GetPrimary(slot).ToString());
        Assert.Equal("90", await _cluster.ExecuteAsync(target, "GET", balance));

        // Without conditions: the queued commands answer MOVED inside MULTI, EXEC discards them, and it goes again.
        await _cluster.MoveSlotAsync(slot, source);
        ClusterTransaction plain = client.CreateTransaction();
        ValueTask<long> incremented = plain.StringIncrementAsync(balance, -5);
        Assert.True(await plain.CommitAsync());
        Assert.Equal(85, await incremented); // applied exactly once
        Assert.Equal("85", await _cluster.ExecuteAsync(source, "GET", balance));
        Assert.Equal(source.Endpoint, client.Topology.GetPrimary(slot).ToString());
    }

    [Fact]
    public async Task A_transaction_on_a_key_already_migrated_follows_ASK_with_ASKING_and_leaves_the_map_alone()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string moved = "{txask}:moved";
        int slot = ClusterClient.GetSlot(moved);
        await client.StringSetAsync(moved, "1");
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = await OtherPrimaryThan(source);
        await _cluster.BeginSlotMigrationAsync(slot, target);
        await _cluster.MigrateKeysAsync(slot, target, [moved]);

        ClusterTransaction watched = client.CreateTransaction();
        watched.AddCondition(TransactionCondition.StringEqual(moved, "1"));
        ValueTask<long> incremented = watched.StringIncrementAsync(moved);
        Assert.True(await watched.CommitAsync());
        Assert.Equal(2, await incremented);

        ClusterTransaction plain = client.CreateTransaction();
        ValueTask<long> again = plain.StringIncrementAsync(moved);
        Assert.True(await plain.CommitAsync());
        Assert.Equal(3, await again);

        Assert.Equal(source.Endpoint, client.Topology.GetPrimary(slot).ToString()); // ASK never changes the map
        await using (LocalRedisConnection onTarget = await _cluster.ConnectAsync(target))
        {
            await onTarget.ExecuteAsync("ASKING");
            Assert.Equal("3", await onTarget.ExecuteAsync("GET", moved));
        }
        await _cluster.FinishSlotMigrationAsync(slot, target);
    }
}
