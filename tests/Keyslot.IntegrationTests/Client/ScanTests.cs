using System.Globalization;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>Cluster-wide SCAN, on its own cluster because one test reshards during the scan.</summary>
public sealed class ScanTests : IAsyncLifetime
{
    private const int Keys = 50_000;
    private LocalRedisCluster _cluster = null!;
    private ClusterClient _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalRedisCluster.StartAsync();
        _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        for (int start = 0; start < Keys; start += 5_000)
        {
            await _client.StringSetAsync(Enumerable.Range(start, 5_000).Select(i => new KeyValuePair<RedisKey, RedisArgument>(Key(i), i)));
        }
        await _client.HashSetAsync("scan:a-hash", "f", "v");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private static string Key(int i) => "scan:" + i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_scan_of_a_stable_cluster_returns_each_key_once_and_filters_by_match_and_type()
    {
        var seen = new List<string>();
        await foreach (string key in _client.ScanAsync()) seen.Add(key);
        Assert.Equal(Keys + 1, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());

        var matched = new List<string>();
        await foreach (string key in _client.ScanAsync("scan:1234*")) matched.Add(key);
        Assert.Equal(["scan:1234", .. Enumerable.Range(0, 10).Select(i => "scan:1234" + i)], matched.Order());

        var hashes = new List<string>();
        await foreach (string key in _client.ScanAsync(type: "hash")) hashes.Add(key);
        Assert.Equal(["scan:a-hash"], hashes);

        long onFirstNode = 0;
        await foreach (string _ in _client.ScanNodeAsync(_client.Topology.SlotRanges[0].Primary)) onFirstNode++;
        Assert.Equal(long.Parse(await _cluster.ExecuteAsync((await _cluster.GetPrimariesAsync()).First(p => p.Endpoint == _client.Topology.SlotRanges[0].Primary.ToString()), "DBSIZE"), CultureInfo.InvariantCulture), onFirstNode);
    }

    [Fact]
    public async Task A_scan_while_2000_slots_are_resharded_returns_every_key()
    {
        IReadOnlyList<LocalRedisNode> primaries = await _cluster.GetPrimariesAsync();
        int ownedBefore = SlotsOwnedBy(primaries[1]);
        Task moving = _cluster.MoveSlotsAsync(primaries[0], primaries[1], 2_000);
        var seen = new HashSet<string>();
        bool? movingWhenScanStarted = null;
        await foreach (string key in _client.ScanAsync(pageSize: 20))
        {
            movingWhenScanStarted ??= !moving.IsCompleted;
            seen.Add(key);
        }
        await moving;
        Assert.True(movingWhenScanStarted, "the reshard finished before the scan began: the test would not test anything");
        await _client.Router.Refresher.RequestAsync("test");
        Assert.Equal(ownedBefore + 2_000, SlotsOwnedBy(primaries[1]));
        for (int i = 0; i < Keys; i++) Assert.Contains(Key(i), seen);
    }

    private int SlotsOwnedBy(LocalRedisNode node) =>
        _client.Topology.SlotRanges.Where(r => r.Primary.ToString() == node.Endpoint).Sum(r => r.Count);

    [Fact]
    public async Task ScanKeysAsync_returns_binary_keys_exactly_as_stored()
    {
        // Keys that are not valid UTF-8: decoded as text they would come back changed (and could not be used again).
        byte[][] binary = [.. Enumerable.Range(0, 40).Select(i => (byte[])[.. "binscan:"u8, 0xC3, 0x28, 0xFF, (byte)i])];
        foreach (byte[] key in binary) await _client.StringSetAsync(key, "v");

        var found = new List<byte[]>();
        await foreach (RedisKey key in _client.ScanKeysAsync("binscan:*")) found.Add(key.ToArray());

        Assert.Equal(binary.Length, found.Count);
        Assert.Equal(binary.Select(Convert.ToHexString).Order(), found.Select(Convert.ToHexString).Order());
        Assert.Equal("v", await _client.StringGetAsync(new RedisKey(found[0]))); // usable as a key again
        Assert.True(binary.Select(k => ClusterClient.GetSlot(k)).Distinct().Count() > 10);
    }

    [Fact]
    public async Task A_slot_left_half_migrated_is_still_scanned_completely()
    {
        // An interrupted reshard: the slot stays MIGRATING on its source and IMPORTING on its target, keys split between them.
        int slot = ClusterClient.GetSlot(Key(0));
        string[] inSlot = [.. Enumerable.Range(0, Keys).Select(Key).Where(k => ClusterClient.GetSlot(k) == slot)];
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = (await _cluster.GetPrimariesAsync()).First(p => p.Endpoint != source.Endpoint);
        await _cluster.BeginSlotMigrationAsync(slot, target);
        await _cluster.MigrateKeysAsync(slot, target, [.. inSlot.Take(inSlot.Length / 2 + 1)]);

        var seen = new HashSet<string>();
        await foreach (string key in _client.ScanAsync("scan:*")) seen.Add(key);

        Assert.Equal(Keys + 1, seen.Count); // every key (and the one hash), from both halves of the slot
        Assert.True(inSlot.All(seen.Contains));
    }
}
