using System.Diagnostics;
using Keyslot.Protocol;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// A slot whose keys are split between source and target for seconds: a multi-key command (or a transaction) on it
/// gets ASK from the source (none of its keys there) and TRYAGAIN from the target (not all of them there yet), over
/// and over. That is a migration taking its time, not a redirect loop: it is waited out within the command timeout.
/// </summary>
public sealed class SlowMigrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(3);
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>
    /// Starts migrating the slot of <paramref name="moved"/> and moves only that key: a command on it and on a key that
    /// exists nowhere yet gets ASK from the source and TRYAGAIN from the target until the migration ends.
    /// </summary>
    private async Task<(LocalRedisNode Source, LocalRedisNode Target)> HoldMigrationOpenAsync(ClusterClient client, string moved, int slot)
    {
        await client.StringSetAsync(moved, "m");
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = (await _cluster.GetPrimariesAsync()).First(p => p.Endpoint != source.Endpoint);
        await _cluster.BeginSlotMigrationAsync(slot, target);
        await _cluster.MigrateKeysAsync(slot, target, [moved]);
        return (source, target);
    }

    [Fact]
    public async Task A_multi_key_command_on_a_slot_migrating_for_seconds_waits_until_it_is_done()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=15000");
        const string moved = "{slowmig}a", absent = "{slowmig}new";
        int slot = ClusterClient.GetSlot(moved);
        (_, LocalRedisNode target) = await HoldMigrationOpenAsync(client, moved, slot);

        var elapsed = Stopwatch.StartNew();
        Task<string?[]> typed = client.StringGetAsync([moved, absent]).AsTask();
        Task<RespValue> raw = client.ExecuteAsync("EXISTS", moved, absent).AsTask();
        await Task.Delay(Hold);
        Assert.False(typed.IsCompleted, "the MGET should still be waiting for the migration: " + typed.Exception?.InnerException?.Message);
        Assert.False(raw.IsCompleted, "the EXISTS should still be waiting for the migration: " + raw.Exception?.InnerException?.Message);
        await _cluster.FinishSlotMigrationAsync(slot, target);

        string?[] values = await typed;
        Assert.Equal("m", values[0]);
        Assert.Null(values[1]);
        Assert.Equal(2, values.Length);
        Assert.Equal(1, (long)await raw);
        Assert.True(elapsed.Elapsed >= Hold);
        Assert.Equal(target.Endpoint, (await _cluster.GetSlotOwnerAsync(slot)).Endpoint);
    }

    [Fact]
    public async Task A_transaction_on_a_slot_migrating_for_seconds_commits_once_it_is_done()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=15000");
        const string moved = "{slowtx}a", absent = "{slowtx}new";
        int slot = ClusterClient.GetSlot(moved);
        (_, LocalRedisNode target) = await HoldMigrationOpenAsync(client, moved, slot);

        ClusterTransaction tx = client.CreateTransaction();
        ValueTask<RespValue> both = tx.ExecuteAsync("MGET", moved, absent);
        ValueTask<bool> set = tx.StringSetAsync(absent, "written");
        Task<bool> commit = tx.CommitAsync();
        await Task.Delay(Hold);
        Assert.False(commit.IsCompleted, "the transaction should still be waiting for the migration: " + commit.Exception?.InnerException?.Message);
        await _cluster.FinishSlotMigrationAsync(slot, target);

        Assert.True(await commit);
        RespValue values = await both;
        Assert.Equal("m", values[0].AsString());
        Assert.True(values[1].IsNull);
        Assert.True(await set);
        Assert.Equal("written", await _cluster.ExecuteAsync(target, "GET", absent)); // ran once, on the new owner
    }
}
