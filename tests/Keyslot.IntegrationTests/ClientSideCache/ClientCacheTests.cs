using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Keyslot.ClientSideCache;
using Keyslot.Connections;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.ClientSideCache;

/// <summary>
/// The client-side cache against a real redis-server (no cluster mode, so one tracking connection holds everything;
/// the cluster's own cases are in <see cref="ClusterClientCacheTests"/>). Each test has its own server: several of
/// them flush it, kill its connections or pause it. What the server executed is read from INFO commandstats, so
/// "answered from memory" means the server saw no command.
/// </summary>
public sealed class ClientCacheTests
{
    private const string Cached = ",clientCache=1mb,topologyRefreshSeconds=0";

    /// <summary>Every command the server executed, except the INFO and CLIENT commands the test itself sends.</summary>
    private static async Task<long> ServerCalls(LocalRedisServer server)
    {
        IReadOnlyDictionary<string, CommandStats> stats = CommandStats.Parse(await server.ExecuteAsync(server.Primary, "INFO", "commandstats"));
        long calls = 0;
        foreach ((string name, CommandStats counts) in stats)
        {
            if (name is not "info" && !name.StartsWith("client", StringComparison.Ordinal)) calls += counts.Calls;
        }
        return calls;
    }

    private static ClientCache CacheOf(ClusterClient client) => client.ClientCache ?? throw new InvalidOperationException("The cache is off.");

    /// <summary>Reads until a read is answered from memory (the first ones open the tracking connection and fill the entry).</summary>
    private static async Task WarmAsync(ClusterClient client, Func<Task> read)
    {
        for (int i = 0; i < 100; i++)
        {
            long hits = CacheOf(client).Hits;
            await read();
            if (CacheOf(client).Hits > hits) return;
            await Task.Delay(10);
        }
        throw new Xunit.Sdk.XunitException("The read was never answered from the cache.");
    }

    /// <summary>Polls until <paramref name="condition"/> holds, for at most 5 s.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(5)) throw new Xunit.Sdk.XunitException("Timed out waiting for " + what);
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Every_cacheable_read_is_answered_from_memory_once_cached()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(server.ConfigurationString + Cached);
        await client.StringSetAsync("s", "value");
        await client.StringSetAsync("t", "other");
        await client.HashSetAsync("h", [new("a", "1"), new("b", "2")]);
        await client.ListRightPushAsync("l", ["x", "y"]);
        await client.SetAddAsync("set", "m");
        await client.SortedSetAddAsync("z", "m", 2.5);

        var reads = new (string Name, Func<Task> Read)[]
        {
            ("GET", async () => Assert.Equal("value", await client.StringGetAsync("s"))),
            ("GET bytes", async () => Assert.Equal("value"u8.ToArray(), await client.StringGetBytesAsync("s"))),
            ("GET missing", async () => Assert.Null(await client.StringGetAsync("missing"))),
            ("MGET", async () => Assert.Equal(new string?[] { "value", null, "other" }, await client.StringGetAsync(["s", "missing", "t"]))),
            ("HGET", async () => Assert.Equal("1", await client.HashGetAsync("h", "a"))),
            ("HMGET", async () => Assert.Equal(new string?[] { "2", null }, await client.HashGetAsync("h", ["b", "nope"]))),
            ("HGETALL", async () => Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, await client.HashGetAllAsync("h"))),
            ("EXISTS", async () => Assert.True(await client.KeyExistsAsync("s"))),
            ("STRLEN", async () => Assert.Equal(5, await client.StringLengthAsync("s"))),
            ("LRANGE", async () => Assert.Equal(["x", "y"], await client.ListRangeAsync("l"))),
            ("SISMEMBER", async () => Assert.True(await client.SetContainsAsync("set", "m"))),
            ("ZSCORE", async () => Assert.Equal(2.5, await client.SortedSetScoreAsync("z", "m"))),
        };
        foreach ((string _, Func<Task> read) in reads) await WarmAsync(client, read);

        long callsBefore = await ServerCalls(server), hitsBefore = CacheOf(client).Hits;
        for (int round = 0; round < 20; round++)
        {
            foreach ((string _, Func<Task> read) in reads) await read();
        }
        Assert.Equal(callsBefore, await ServerCalls(server)); // nothing reached the server
        Assert.Equal(hitsBefore + 20 * (reads.Length + 2), CacheOf(client).Hits); // MGET's three keys count one hit each
        Assert.InRange(CacheOf(client).Bytes, 1, 1 << 20);
    }

    [Fact]
    public async Task The_opt_out_view_always_asks_the_server_and_stores_nothing()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(server.ConfigurationString + Cached);
        await client.StringSetAsync("k", "v");
        await WarmAsync(client, async () => await client.StringGetAsync("k"));
        ClusterClient uncached = client.WithoutClientCache();
        Assert.Null(uncached.ClientCache);
        Assert.Same(uncached, client.WithoutClientCache());
        Assert.Same(uncached, ((IClusterClient)client).WithoutClientCache()); // the same view through the interface DI hands out

        long calls = await ServerCalls(server), hits = CacheOf(client).Hits, entries = CacheOf(client).Count;
        for (int i = 0; i < 10; i++) Assert.Equal("v", await uncached.StringGetAsync("k"));
        Assert.Equal(calls + 10, await ServerCalls(server));
        Assert.Equal(hits, CacheOf(client).Hits);
        Assert.Equal(entries, CacheOf(client).Count);

        // Without clientCache the client has no cache and the view is the client itself.
        await using ClusterClient plain = await ClusterClient.ConnectAsync(server.ConfigurationString);
        Assert.Null(plain.ClientCache);
        Assert.Same(plain, plain.WithoutClientCache());
    }

    [Fact]
    public async Task Another_clients_write_is_seen_as_soon_as_its_invalidation_arrives()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient reader = await ClusterClient.ConnectAsync(server.ConfigurationString + Cached);
        await using ClusterClient writer = await ClusterClient.ConnectAsync(server.ConfigurationString);
        await writer.StringSetAsync("shared", "0");
        await WarmAsync(reader, async () => await reader.StringGetAsync("shared"));

        var arrivals = new List<double>();
        for (int i = 1; i <= 50; i++)
        {
            await writer.StringSetAsync("shared", i.ToString());
            var acked = Stopwatch.StartNew();
            string? seen;
            do
            {
                seen = await reader.StringGetAsync("shared");
                if (acked.Elapsed > TimeSpan.FromSeconds(5)) Assert.Fail($"write {i} not seen after 5 s (still {seen})");
            }
            while (seen != i.ToString());
            arrivals.Add(acked.Elapsed.TotalMilliseconds);
            await WarmAsync(reader, async () => await reader.StringGetAsync("shared")); // cached again before the next write
        }
        Assert.True(CacheOf(reader).Invalidations >= 50, $"{CacheOf(reader).Invalidations} invalidations for 50 writes");
        arrivals.Sort();
        Assert.True(arrivals[^1] < 5000, $"slowest {arrivals[^1]} ms");
    }

    [Fact]
    public async Task A_clients_own_write_is_read_back_at_once_whatever_road_it_took()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(server.ConfigurationString + Cached);
        await client.StringSetAsync("own", "start");
        await client.HashSetAsync("ownh", "f", "start");
        await WarmAsync(client, async () => await client.StringGetAsync("own"));
        await WarmAsync(client, async () => await client.HashGetAsync("ownh", "f"));

        for (int i = 0; i < 100; i++)
        {
            string value = "v" + i;
            switch (i % 5)
            {
                case 0:
                    await client.StringSetAsync("own", value);
                    break;
                case 1:
                    await client.ExecuteAsync("SET", "own", value);
                    break;
                case 2:
                    ClusterBatch batch = client.CreateBatch();
                    ValueTask<bool> set = batch.StringSetAsync("own", value);
                    batch.Execute();
                    Assert.True(await set);
                    break;
                case 3:
                    ClusterTransaction transaction = client.CreateTransaction();
                    ValueTask<bool> setInTransaction = transaction.StringSetAsync("own", value);
                    Assert.True(await transaction.CommitAsync());
                    Assert.True(await setInTransaction);
                    break;
                default:
                    await client.ExecuteAsync("EVAL", "return redis.call('SET', KEYS[1], ARGV[1])", 1, "own", value);
                    break;
            }
            Assert.Equal(value, await client.StringGetAsync("own"));
            await client.HashSetAsync("ownh", "f", value);
            Assert.Equal(value, await client.HashGetAsync("ownh", "f"));
        }
        await client.KeyDeleteAsync("own");
        Assert.False(await client.KeyExistsAsync("own"));
        Assert.Null(await client.StringGetAsync("own"));
        Assert.True(CacheOf(client).Hits > 0);
    }

    [Fact]
    public async Task A_write_of_one_key_retires_that_key_only_and_a_write_of_unknown_keys_its_whole_slot()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(server.ConfigurationString + Cached);
        const string a = "{same}a", b = "{same}b";
        await client.StringSetAsync(a, "a0");
        await client.StringSetAsync(b, "b0");
        await WarmAsync(client, async () => await client.StringGetAsync(a));
        await WarmAsync(client, async () => await client.StringGetAsync(b));

        // A typed write names its key: b, in the same slot, stays cached.
        await client.StringSetAsync(a, "a1");
        long hits = CacheOf(client).Hits;
        Assert.Equal("b0", await client.StringGetAsync(b));
        Assert.Equal(hits + 1, CacheOf(client).Hits);
        Assert.Equal("a1", await client.StringGetAsync(a));

        // A raw command's keys are not looked at: every cached key of its slot goes.
        await WarmAsync(client, async () => await client.StringGetAsync(a));
        await client.ExecuteAsync("SET", a, "a2");
        hits = CacheOf(client).Hits;
        Assert.Equal("b0", await client.StringGetAsync(b));
        Assert.Equal("a2", await client.StringGetAsync(a));
        Assert.Equal(hits, CacheOf(client).Hits);
    }

    [Fact]
    public async Task Concurrent_misses_of_one_read_share_one_round_trip()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(server.ConfigurationString + Cached);
        await client.StringSetAsync("warm", "w");
        await client.StringSetAsync("shared-miss", "value");
        await WarmAsync(client, async () => await client.StringGetAsync("warm")); // the tracking connection is up

        long calls = await ServerCalls(server), misses = CacheOf(client).Misses;
        await server.ExecuteAsync(server.Primary, "CLIENT", "PAUSE", "300", "ALL"); // so all of them are in flight together
        Task<string?>[] reads = [.. Enumerable.Range(0, 10).Select(_ => client.StringGetAsync("shared-miss").AsTask())];
        Assert.All(await Task.WhenAll(reads), value => Assert.Equal("value", value));
        Assert.Equal(misses + 10, CacheOf(client).Misses);
        Assert.Equal(calls + 1, await ServerCalls(server)); // one GET reached the server
        long hits = CacheOf(client).Hits;
        Assert.Equal("value", await client.StringGetAsync("shared-miss"));
        Assert.Equal(hits + 1, CacheOf(client).Hits); // and its reply was kept
    }

    [Fact]
    public async Task A_read_in_flight_when_its_key_is_invalidated_is_not_cached()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient reader = await ClusterClient.ConnectAsync(server.ConfigurationString + ",clientCache=1mb,clientCacheMaxAge=1500,topologyRefreshSeconds=0");
        await reader.StringSetAsync("race", "old");
        await WarmAsync(reader, async () => await reader.StringGetAsync("race")); // the server now tracks "race" for the reader
        await Task.Delay(1600); // past the maximum age: the next read goes to the server, the tracking stays

        // The server holds every client for 500 ms; a writer's SET and then the reader's GET queue up behind the
        // pause and run in that order, so the invalidation reaches the reader before its GET's reply.
        await server.ExecuteAsync(server.Primary, "CLIENT", "PAUSE", "500", "ALL");
        await using LocalRedisConnection side = await ConnectAsync(server);
        Task<string> write = side.ExecuteAsync("SET", "race", "new");
        await Task.Delay(100);
        long invalidations = CacheOf(reader).Invalidations;
        Assert.Equal("new", await reader.StringGetAsync("race"));
        Assert.Equal("OK", await write);
        Assert.Equal(invalidations + 1, CacheOf(reader).Invalidations);

        // The GET was in flight when "race" was invalidated: its reply was returned but not kept (kept, it would be
        // served now: it is younger than the maximum age, counted from when the GET was sent).
        long calls = await ServerCalls(server);
        long misses = CacheOf(reader).Misses;
        Assert.Equal("new", await reader.StringGetAsync("race"));
        Assert.Equal(misses + 1, CacheOf(reader).Misses);
        Assert.Equal(calls + 1, await ServerCalls(server));
    }

    [Fact]
    public async Task Nothing_read_through_a_lost_tracking_connection_is_served_after_it()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(server.ConfigurationString + Cached);
        await client.StringSetAsync("lost", "before");
        await WarmAsync(client, async () => await client.StringGetAsync("lost"));
        NodeConnector tracking = client.Router.GetConnector(client.Topology.Shards[0].Primary.Endpoint, ConnectionRole.Tracking);
        NodeConnection connection = tracking.Current ?? throw new InvalidOperationException("no tracking connection");

        // Kill the tracking connection (flag t in CLIENT LIST); a write after that reaches no tracking table.
        string id = TrackingClientIds(await server.ExecuteAsync(server.Primary, "CLIENT", "LIST")).Single();
        await server.ExecuteAsync(server.Primary, "CLIENT", "KILL", "ID", id);
        await UntilAsync(() => !connection.IsHealthy, "the client to see its tracking connection closed");
        await using (LocalRedisConnection side = await ConnectAsync(server)) await side.ExecuteAsync("SET", "lost", "after");

        Assert.Equal("after", await client.StringGetAsync("lost"));
        await WarmAsync(client, async () => Assert.Equal("after", await client.StringGetAsync("lost"))); // and cached again over the new one
        Assert.NotSame(connection, tracking.Current);
    }

    [Fact]
    public async Task A_flush_drops_every_entry_of_the_connection()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(server.ConfigurationString + Cached);
        string[] keys = [.. Enumerable.Range(0, 20).Select(i => "flush:" + i)];
        foreach (string key in keys) await client.StringSetAsync(key, "before");
        foreach (string key in keys) await WarmAsync(client, async () => await client.StringGetAsync(key));

        long invalidations = CacheOf(client).Invalidations;
        await using (LocalRedisConnection side = await ConnectAsync(server))
        {
            await side.ExecuteAsync("FLUSHALL");
            await UntilAsync(() => CacheOf(client).Invalidations > invalidations, "the flush's invalidation (a null key list)");
            // The flush emptied the server's tracking table: these writes send the client no invalidation.
            foreach (string key in keys) await side.ExecuteAsync("SET", key, "after");
        }
        Assert.Equal(invalidations + 1, CacheOf(client).Invalidations);
        foreach (string key in keys) Assert.Equal("after", await client.StringGetAsync(key));
    }

    [Fact]
    public async Task Broadcast_tracking_caches_only_its_prefixes_and_is_told_of_keys_it_never_read()
    {
        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(server.ConfigurationString + Cached + ",clientCachePrefixes=bc:|user:");
        await using ClusterClient writer = await ClusterClient.ConnectAsync(server.ConfigurationString);
        await writer.StringSetAsync("user:1", "ada");
        await writer.StringSetAsync("other:1", "x");
        await WarmAsync(client, async () => Assert.Equal("ada", await client.StringGetAsync("user:1")));

        // A key under no prefix gets no invalidations in this mode, so it is never cached: every read asks the server.
        long calls = await ServerCalls(server), hits = CacheOf(client).Hits;
        for (int i = 0; i < 10; i++) Assert.Equal("x", await client.StringGetAsync("other:1"));
        Assert.Equal(calls + 10, await ServerCalls(server));
        Assert.Equal(hits, CacheOf(client).Hits);

        // The server broadcasts every change under the prefixes, also of keys this client never read.
        long invalidations = CacheOf(client).Invalidations;
        await writer.StringSetAsync("bc:never-read", "1");
        await UntilAsync(() => CacheOf(client).Invalidations > invalidations, "the broadcast invalidation of bc:never-read");
        await writer.StringSetAsync("user:1", "grace");
        await UntilAsync(() => CacheOf(client).Invalidations > invalidations + 1, "the invalidation of user:1");
        Assert.Equal("grace", await client.StringGetAsync("user:1"));
    }

    [Fact]
    public async Task Hits_misses_evictions_invalidations_entries_and_bytes_reach_the_Keyslot_meter()
    {
        // The meter is the process's: other tests' caches add to it, so each count is at least this client's.
        var counts = new ConcurrentDictionary<string, long>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == KeyslotTelemetry.Name && instrument.Name.StartsWith("keyslot.client_cache.", StringComparison.Ordinal)) listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            counts.AddOrUpdate(instrument.Name, value, (name, old) => instrument is ObservableInstrument<long> ? Math.Max(old, value) : old + value));
        meters.Start();

        await using LocalRedisServer server = await LocalRedisServer.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(server.ConfigurationString + ",clientCache=8kb,topologyRefreshSeconds=0");
        await using ClusterClient writer = await ClusterClient.ConnectAsync(server.ConfigurationString);
        await writer.StringSetAsync("m:hot", new string('v', 100));
        await WarmAsync(client, async () => await client.StringGetAsync("m:hot"));
        for (int i = 0; i < 10; i++) await client.StringGetAsync("m:hot");
        meters.RecordObservableInstruments();
        Assert.True(counts.GetValueOrDefault("keyslot.client_cache.entries") >= 1);
        Assert.True(counts.GetValueOrDefault("keyslot.client_cache.bytes") >= 100);

        // 8 KiB holds a few of these: filling it with more evicts.
        for (int i = 0; i < 40; i++)
        {
            await writer.StringSetAsync("m:" + i, new string('x', 500));
            await WarmAsync(client, async () => await client.StringGetAsync("m:" + i));
        }
        long invalidations = CacheOf(client).Invalidations;
        await writer.StringSetAsync("m:39", "changed");
        await UntilAsync(() => CacheOf(client).Invalidations > invalidations, "the invalidation of m:39");

        Assert.True(counts.GetValueOrDefault("keyslot.client_cache.hits") >= CacheOf(client).Hits, $"hits {counts.GetValueOrDefault("keyslot.client_cache.hits")} < {CacheOf(client).Hits}");
        Assert.True(counts.GetValueOrDefault("keyslot.client_cache.misses") >= CacheOf(client).Misses);
        Assert.True(CacheOf(client).Evictions > 0 && counts.GetValueOrDefault("keyslot.client_cache.evictions") >= CacheOf(client).Evictions);
        Assert.True(counts.GetValueOrDefault("keyslot.client_cache.invalidations") >= CacheOf(client).Invalidations);
        Assert.InRange(CacheOf(client).Bytes, 1, 8 * 1024);
    }

    private static async Task<LocalRedisConnection> ConnectAsync(LocalRedisServer server) => await server.ConnectAsync(server.Primary);

    private static IEnumerable<string> TrackingClientIds(string clientList)
    {
        foreach (string line in clientList.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Dictionary<string, string> fields = line.Trim().Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
            if (fields.TryGetValue("flags", out string? flags) && flags.Contains('t')) yield return fields["id"];
        }
    }
}
