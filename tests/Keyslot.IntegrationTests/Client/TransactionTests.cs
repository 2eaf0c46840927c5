using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>MULTI/EXEC transactions on the shared cluster: all or nothing, conditions and WATCH, refused shapes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TransactionTests : IAsyncLifetime
{
    private readonly LocalRedisCluster _cluster;
    private ClusterClient _client = null!;

    public TransactionTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private static string Unique(string name) => $"{{tx-{name}-{Guid.NewGuid():N}}}";

    [Fact]
    public async Task Queued_commands_run_together_on_the_slot_owner_and_each_gets_its_own_result()
    {
        string tag = Unique("queued");
        await _client.StringSetAsync(tag + ":count", "10");
        ClusterTransaction tx = _client.CreateTransaction();
        ValueTask<bool> set = tx.StringSetAsync(tag + ":name", "Ada", TimeSpan.FromMinutes(5));
        ValueTask<long> incremented = tx.StringIncrementAsync(tag + ":count", 5);
        ValueTask<bool> field = tx.HashSetAsync(tag + ":hash", "f", "v");
        ValueTask<string?> read = tx.StringGetAsync(tag + ":name");
        ValueTask<RespValue> pushed = tx.ExecuteAsync("RPUSH", tag + ":list", "a", "b");
        Assert.Equal(5, tx.Count);
        Assert.Equal(ClusterClient.GetSlot(tag), tx.Slot);

        Assert.True(await tx.CommitAsync());

        Assert.True(await set);
        Assert.Equal(15, await incremented);
        Assert.True(await field);
        Assert.Equal("Ada", await read); // the GET ran after the SET inside the transaction
        Assert.Equal(2, (long)await pushed);
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(tag));
        Assert.Equal("15", await _cluster.ExecuteAsync(owner, "GET", tag + ":count"));
        Assert.Equal("v", await _cluster.ExecuteAsync(owner, "HGET", tag + ":hash", "f"));
    }

    [Fact]
    public async Task Binary_values_come_back_exactly_from_a_transaction()
    {
        string tag = Unique("bytes");
        byte[] binary = [0xC3, 0x28, 0x00, 0xFF];
        ClusterTransaction tx = _client.CreateTransaction();
        _ = tx.StringSetAsync(tag + ":s", binary);
        _ = tx.HashSetAsync(tag + ":h", "f", binary);
        ValueTask<byte[]?> value = tx.StringGetBytesAsync(tag + ":s");
        ValueTask<byte[]?> field = tx.HashGetBytesAsync(tag + ":h", "f");
        Assert.True(await tx.CommitAsync());
        Assert.Equal(binary, await value);
        Assert.Equal(binary, await field);
    }

    [Fact]
    public async Task A_condition_that_holds_commits_and_one_that_does_not_runs_nothing()
    {
        string key = Unique("cond") + ":balance";
        await _client.StringSetAsync(key, "100");

        ClusterTransaction holds = _client.CreateTransaction();
        holds.AddCondition(TransactionCondition.StringEqual(key, "100"));
        holds.AddCondition(TransactionCondition.KeyNotExists(key + ":lock"));
        ValueTask<bool> write = holds.StringSetAsync(key, "90");
        Assert.True(await holds.CommitAsync());
        Assert.True(await write);
        Assert.Null(holds.NotCommittedReason);

        ClusterTransaction stale = _client.CreateTransaction();
        stale.AddCondition(TransactionCondition.StringEqual(key, "100")); // it is 90 now
        ValueTask<bool> lost = stale.StringSetAsync(key, "80");
        Assert.False(await stale.CommitAsync());
        Assert.Contains("condition not met", stale.NotCommittedReason);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await lost);
        Assert.Equal("90", await _client.StringGetAsync(key));

        // The connection carries no leftover WATCH: the next transaction on it commits.
        ClusterTransaction next = _client.CreateTransaction();
        ValueTask<bool> after = next.StringSetAsync(key, "70");
        Assert.True(await next.CommitAsync());
        Assert.True(await after);
    }

    [Fact]
    public async Task A_watched_key_changed_by_a_second_client_before_EXEC_means_not_committed()
    {
        string key = Unique("watch") + ":v";
        await _client.StringSetAsync(key, "1");
        await using ClusterClient second = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);

        ClusterTransaction tx = _client.CreateTransaction();
        tx.AddCondition(TransactionCondition.StringEqual(key, "1")); // holds when read…
        ValueTask<bool> write = tx.StringSetAsync(key, "from-tx");
        tx.AfterConditionsChecked = async () => await second.StringSetAsync(key, "from-second"); // …then changes under WATCH

        Assert.False(await tx.CommitAsync());
        Assert.Equal("a watched key changed before EXEC", tx.NotCommittedReason);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await write);
        Assert.Equal("from-second", await _client.StringGetAsync(key)); // the second client's write stands
    }

    [Fact]
    public async Task Optimistic_increments_from_two_clients_lose_no_update()
    {
        string key = Unique("race") + ":counter";
        await _client.StringSetAsync(key, "0");
        await using ClusterClient second = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        int committed = 0, notCommitted = 0;

        async Task IncrementAsync(ClusterClient client, int times)
        {
            for (int i = 0; i < times; i++)
            {
                string current = (await client.StringGetAsync(key))!;
                ClusterTransaction tx = client.CreateTransaction();
                tx.AddCondition(TransactionCondition.StringEqual(key, current));
                _ = tx.StringSetAsync(key, long.Parse(current, System.Globalization.CultureInfo.InvariantCulture) + 1);
                if (await tx.CommitAsync()) Interlocked.Increment(ref committed);
                else Interlocked.Increment(ref notCommitted);
            }
        }

        // Four writers over two clients (two share each connection): conflicts are routine, lost updates must not be.
        await Task.WhenAll(IncrementAsync(_client, 100), IncrementAsync(_client, 100), IncrementAsync(second, 100), IncrementAsync(second, 100));

        Assert.Equal(400, committed + notCommitted);
        Assert.Equal(committed.ToString(System.Globalization.CultureInfo.InvariantCulture), await _client.StringGetAsync(key));
    }

    [Fact]
    public async Task Keys_in_two_slots_are_refused_before_anything_is_sent_naming_both_slots()
    {
        string a = Unique("a") + ":k", b = Unique("b") + ":k";
        int slotA = ClusterClient.GetSlot(a), slotB = ClusterClient.GetSlot(b);
        Assert.NotEqual(slotA, slotB);
        ClusterTransaction tx = _client.CreateTransaction();
        _ = tx.StringSetAsync(a, "1");

        var error = Assert.Throws<RedisCrossSlotException>(() => { _ = tx.StringSetAsync(b, "2"); });
        Assert.Equal(slotA, error.FirstSlot);
        Assert.Equal(slotB, error.OtherSlot);
        Assert.Contains(slotA.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Contains(slotB.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Throws<RedisCrossSlotException>(() => tx.AddCondition(TransactionCondition.KeyExists(b)));
        Assert.Equal(1, tx.Count);
        Assert.Equal(0, await _client.KeyExistsAsync([a, b])); // nothing was sent
    }

    [Fact]
    public async Task A_refused_queued_command_aborts_everything_and_names_the_cause()
    {
        string tag = Unique("abort");
        ClusterTransaction tx = _client.CreateTransaction();
        ValueTask<bool> fine = tx.StringSetAsync(tag + ":a", "1");
        _ = tx.ExecuteAsync("SET", tag + ":b"); // wrong number of arguments: refused when queued

        var error = await Assert.ThrowsAsync<RedisTransactionAbortedException>(() => tx.CommitAsync());
        Assert.Equal(RedisErrorKind.ExecAbort, error.Kind);
        Assert.Equal("SET", error.FailedCommand);
        Assert.Contains("wrong number of arguments", error.FailedCommandError);
        Assert.Contains("EXECABORT", error.Message);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await fine);
        Assert.Null(await _client.StringGetAsync(tag + ":a")); // nothing ran
    }

    [Fact]
    public async Task A_runtime_error_fails_only_its_command_and_the_rest_runs()
    {
        string tag = Unique("runtime");
        await _client.StringSetAsync(tag + ":string", "x");
        ClusterTransaction tx = _client.CreateTransaction();
        ValueTask<bool> before = tx.StringSetAsync(tag + ":a", "1");
        ValueTask<bool> wrongType = tx.HashSetAsync(tag + ":string", "f", "v");
        ValueTask<bool> after = tx.StringSetAsync(tag + ":b", "2");

        Assert.True(await tx.CommitAsync());
        Assert.True(await before);
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await wrongType);
        Assert.Equal(RedisErrorKind.WrongType, error.Kind);
        Assert.True(await after);
        Assert.Equal("2", await _client.StringGetAsync(tag + ":b"));
    }

    [Fact]
    public async Task Many_transactions_and_plain_commands_at_once_share_connections_without_mixing()
    {
        string tag = Unique("busy");
        var transactions = new List<Task<bool>>();
        var plain = new List<Task<bool>>();
        for (int i = 0; i < 200; i++)
        {
            string key = $"{tag}:k{i}";
            ClusterTransaction tx = _client.CreateTransaction();
            if (i % 2 == 0) tx.AddCondition(TransactionCondition.KeyNotExists(key));
            _ = tx.StringSetAsync(key, "tx");
            _ = tx.StringIncrementAsync($"{tag}:total");
            transactions.Add(tx.CommitAsync());
            plain.Add(_client.StringSetAsync($"{tag}:plain{i}", "p").AsTask());
        }
        Assert.All(await Task.WhenAll(transactions), Assert.True);
        Assert.All(await Task.WhenAll(plain), Assert.True);
        Assert.Equal("200", await _client.StringGetAsync($"{tag}:total"));
        Assert.Equal(400, await _client.KeyExistsAsync([.. Enumerable.Range(0, 200).SelectMany(i => new RedisKey[] { $"{tag}:k{i}", $"{tag}:plain{i}" })]));
    }

    [Theory]
    [InlineData("MULTI")]
    [InlineData("exec")]
    [InlineData("WATCH")]
    [InlineData("SUBSCRIBE")]
    public async Task Commands_that_change_a_shared_connection_are_refused_everywhere(string command)
    {
        var direct = await Assert.ThrowsAsync<RedisCommandRefusedException>(async () => await _client.ExecuteAsync(command, "{x}k"));
        Assert.Contains(command.ToUpperInvariant(), direct.Message);
        Assert.Throws<RedisCommandRefusedException>(() => { _ = _client.CreateBatch().ExecuteAsync(command, "{x}k"); });
        Assert.Throws<RedisCommandRefusedException>(() => { _ = _client.CreateTransaction().ExecuteAsync(command, "{x}k"); });
        NodeEndpoint node = _client.Topology.GetPrimary(0)!.Value;
        await Assert.ThrowsAsync<RedisCommandRefusedException>(() => _client.ExecuteOnNodeAsync(node, command, ["{x}k"]));
        Assert.Equal("PONG", (string?)await _client.ExecuteOnNodeAsync(node, "PING", []));
    }
}
