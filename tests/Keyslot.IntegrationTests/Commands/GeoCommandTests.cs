using System.Globalization;
using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Commands;

/// <summary>The typed geo commands, each checked against what the server holds (the Redis documentation's Sicily example).</summary>
public abstract class GeoCommandTests : IAsyncLifetime
{
    private const double PalermoLon = 13.361389, PalermoLat = 38.115556, CataniaLon = 15.087269, CataniaLat = 37.502669;
    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private async Task Sicily(string key)
    {
        await _client.KeyDeleteAsync(key);
        Assert.Equal(2, await _client.GeoAddAsync(key, [new GeoEntry(PalermoLon, PalermoLat, "Palermo"), new GeoEntry(CataniaLon, CataniaLat, "Catania")]));
    }

    [Fact]
    public async Task Add_position_distance_and_hash_as_the_server_holds_them()
    {
        const string key = "geo:{sicily}";
        await Sicily(key);
        Assert.Equal("Palermo\nCatania", await OnOwner(key, "GEOSEARCH", key, "FROMLONLAT", "13", "38", "BYRADIUS", "500", "km", "ASC"));
        Assert.False(await _client.GeoAddAsync(key, 13.5, 38.2, "Palermo", SetCondition.NotExists, change: true));
        Assert.False(await _client.GeoAddAsync(key, 13.5, 38.2, "Agrigento", SetCondition.Exists));
        Assert.Equal("", await OnOwner(key, "ZSCORE", key, "Agrigento"));
        Assert.True(await _client.GeoAddAsync(key, 13.583333, 37.316667, "Agrigento"));
        Assert.False(await _client.GeoAddAsync(key, 13.583333, 37.316667, "Agrigento", SetCondition.Exists)); // updated, not added
        Assert.True(await _client.GeoAddAsync(key, 13.6, 37.3, "Agrigento", SetCondition.Exists, change: true)); // moved
        Assert.Equal(0, await _client.GeoAddAsync(key, [new GeoEntry(13.6, 37.3, "Agrigento")], change: true));
        Assert.Equal(1, await _client.GeoAddAsync(key, [new GeoEntry(13.58, 37.31, "Agrigento"), new GeoEntry(1, 1, "Elsewhere")], SetCondition.Exists, change: true));
        Assert.Equal("", await OnOwner(key, "ZSCORE", key, "Elsewhere"));

        GeoPosition? palermo = await _client.GeoPositionAsync(key, "Palermo");
        string[] serverPalermo = (await OnOwner(key, "GEOPOS", key, "Palermo")).Split('\n');
        Assert.Equal(Number(serverPalermo[0]), palermo!.Value.Longitude, 12);
        Assert.Equal(Number(serverPalermo[1]), palermo.Value.Latitude, 12);
        Assert.Equal(PalermoLon, palermo.Value.Longitude, 5);
        Assert.Equal(PalermoLat, palermo.Value.Latitude, 5);
        Assert.Null(await _client.GeoPositionAsync(key, "Rome"));
        Assert.Null(await _client.GeoPositionAsync("geo:{sicily}:missing", "Palermo"));
        GeoPosition?[] positions = await _client.GeoPositionAsync(key, ["Catania", "Rome", "Palermo"]);
        Assert.Equal(3, positions.Length);
        Assert.Equal(CataniaLon, positions[0]!.Value.Longitude, 5);
        Assert.Null(positions[1]);
        Assert.Equal(palermo, positions[2]);

        double? meters = await _client.GeoDistanceAsync(key, "Palermo", "Catania");
        Assert.Equal(Number(await OnOwner(key, "GEODIST", key, "Palermo", "Catania")), meters!.Value, 4);
        Assert.Equal(166274.1516, meters.Value, 3);
        Assert.Equal(Number(await OnOwner(key, "GEODIST", key, "Palermo", "Catania", "km")), (await _client.GeoDistanceAsync(key, "Palermo", "Catania", GeoUnit.Kilometers))!.Value, 4);
        Assert.Equal(Number(await OnOwner(key, "GEODIST", key, "Palermo", "Catania", "mi")), (await _client.GeoDistanceAsync(key, "Palermo", "Catania", GeoUnit.Miles))!.Value, 4);
        Assert.Equal(Number(await OnOwner(key, "GEODIST", key, "Palermo", "Catania", "ft")), (await _client.GeoDistanceAsync(key, "Palermo", "Catania", GeoUnit.Feet))!.Value, 4);
        Assert.Null(await _client.GeoDistanceAsync(key, "Palermo", "Rome"));
        Assert.Null(await _client.GeoDistanceAsync("geo:{sicily}:missing", "Palermo", "Catania"));

        Assert.Equal("sqc8b49rny0", await _client.GeoHashAsync(key, "Palermo"));
        Assert.Null(await _client.GeoHashAsync(key, "Rome"));
        Assert.Equal(new[] { "sqdtr74hyu0", null, "sqc8b49rny0" }, await _client.GeoHashAsync(key, ["Catania", "Rome", "Palermo"]));
        Assert.Equal("sqdtr74hyu0\n\nsqc8b49rny0", await OnOwner(key, "GEOHASH", key, "Catania", "Rome", "Palermo"));
    }

    [Fact]
    public async Task Search_by_radius_and_box_with_order_count_and_extras()
    {
        const string key = "geo:search:{s}";
        await Sicily(key);
        GeoSearchResult<string>[] near = await _client.GeoSearchAsync(key, 15, 37, GeoSearchShape.Radius(200, GeoUnit.Kilometers), Order.Ascending,
            options: GeoSearchOptions.WithDistance | GeoSearchOptions.WithCoordinates | GeoSearchOptions.WithHash);
        Assert.Equal(["Catania", "Palermo"], near.Select(r => r.Member));
        string[] server = (await OnOwner(key, "GEOSEARCH", key, "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC", "WITHCOORD", "WITHDIST", "WITHHASH")).Split('\n');
        // The server's flattened reply: member, distance, hash, longitude, latitude per entry.
        for (int i = 0; i < near.Length; i++)
        {
            Assert.Equal(server[i * 5], near[i].Member);
            Assert.Equal(Number(server[i * 5 + 1]), near[i].Distance!.Value, 4);
            Assert.Equal(long.Parse(server[i * 5 + 2], CultureInfo.InvariantCulture), near[i].Hash);
            Assert.Equal(Number(server[i * 5 + 3]), near[i].Position!.Value.Longitude, 10);
            Assert.Equal(Number(server[i * 5 + 4]), near[i].Position!.Value.Latitude, 10);
        }
        Assert.Equal(56.4413, near[0].Distance!.Value, 3);
        Assert.Equal(long.Parse(await OnOwner(key, "ZSCORE", key, "Catania"), CultureInfo.InvariantCulture), near[0].Hash);

        GeoSearchResult<string>[] far = await _client.GeoSearchAsync(key, 15, 37, GeoSearchShape.Radius(200, GeoUnit.Kilometers), Order.Descending, count: 1, options: GeoSearchOptions.WithDistance);
        Assert.Equal([new GeoSearchResult<string>("Palermo", far[0].Distance, null, null)], far);
        Assert.Equal(190.4424, far[0].Distance!.Value, 3);
        Assert.Single(await _client.GeoSearchAsync(key, 15, 37, GeoSearchShape.Radius(200, GeoUnit.Kilometers), count: 1, any: true));

        GeoSearchResult<string>[] plain = await _client.GeoSearchAsync(key, "Palermo", GeoSearchShape.Radius(100, GeoUnit.Kilometers));
        Assert.Equal([new GeoSearchResult<string>("Palermo", null, null, null)], plain);
        Assert.Equal(["Palermo", "Catania"], (await _client.GeoSearchAsync(key, "Palermo", GeoSearchShape.Box(400, 400, GeoUnit.Kilometers), Order.Ascending)).Select(r => r.Member));
        Assert.Equal("Palermo\nCatania", await OnOwner(key, "GEOSEARCH", key, "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "ASC"));
        Assert.Equal(["Catania"], (await _client.GeoSearchAsync(key, CataniaLon, CataniaLat, GeoSearchShape.Box(10, 10, GeoUnit.Miles), options: GeoSearchOptions.WithHash)).Select(r => r.Member));
        Assert.Empty(await _client.GeoSearchAsync(key, 0, 0, GeoSearchShape.Radius(1)));
        // A zero size is the server's to accept: it finds what lies exactly at the center, here the member itself.
        Assert.Equal(["Palermo"], (await _client.GeoSearchAsync(key, "Palermo", GeoSearchShape.Radius(0))).Select(r => r.Member));
        Assert.Equal(["Catania"], (await _client.GeoSearchAsync(key, "Catania", GeoSearchShape.Box(0, 0, GeoUnit.Kilometers))).Select(r => r.Member));
        Assert.Equal("Palermo", await OnOwner(key, "GEOSEARCH", key, "FROMMEMBER", "Palermo", "BYRADIUS", "0", "m"));
        Assert.Empty(await _client.GeoSearchAsync("geo:search:{s}:missing", 15, 37, GeoSearchShape.Radius(500, GeoUnit.Kilometers), options: GeoSearchOptions.WithCoordinates));
        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.GeoSearchAsync(key, "Rome", GeoSearchShape.Radius(1)));

        // GEOSEARCHSTORE: a geo set (scores are geohashes), or with STOREDIST a sorted set of distances.
        Assert.Equal(2, await _client.GeoSearchAndStoreAsync(key, "geo:search:{s}:dst", 15, 37, GeoSearchShape.Radius(200, GeoUnit.Kilometers)));
        Assert.Equal(await OnOwner(key, "ZSCORE", key, "Palermo"), await OnOwner(key, "ZSCORE", "geo:search:{s}:dst", "Palermo"));
        Assert.Equal(1, await _client.GeoSearchAndStoreAsync(key, "geo:search:{s}:dst", "Palermo", GeoSearchShape.Radius(300, GeoUnit.Kilometers), Order.Descending, count: 1, storeDistances: true));
        string[] stored = (await OnOwner(key, "ZRANGE", "geo:search:{s}:dst", "0", "-1", "WITHSCORES")).Split('\n');
        Assert.Equal("Catania", stored[0]);
        Assert.Equal(166.2742, Number(stored[1]), 3);
        Assert.Equal(0, await _client.GeoSearchAndStoreAsync(key, "geo:search:{s}:dst", 0, 0, GeoSearchShape.Radius(1)));
        Assert.Equal("0", await OnOwner(key, "EXISTS", "geo:search:{s}:dst"));
    }

    [Fact]
    public async Task Binary_members_round_trip_exactly_through_the_bytes_search()
    {
        const string key = "geo:bin:{b}";
        await _client.KeyDeleteAsync(key);
        byte[] ff = [0xFF, 0x00, 0xC3, 0x28], fe = [0xFE, 0x00, 0xC3, 0x28]; // the same text once decoded as UTF-8
        Assert.True(await _client.GeoAddAsync(key, PalermoLon, PalermoLat, ff));
        Assert.True(await _client.GeoAddAsync(key, CataniaLon, CataniaLat, fe));
        Assert.Equal("2", await OnOwner(key, "ZCARD", key));
        const string hex = "local r = redis.call('ZRANGE', KEYS[1], 0, -1) local o = {} for i = 1, #r do o[i] = string.gsub(r[i], '.', function(c) return string.format('%02x', string.byte(c)) end) end return o";
        Assert.Equal("fe00c328\nff00c328", string.Join("\n", (await OnOwner(key, "EVAL", hex, "1", key)).Split('\n').Order(StringComparer.Ordinal)));

        GeoSearchResult<byte[]>[] found = await _client.GeoSearchBytesAsync(key, 15, 37, GeoSearchShape.Radius(200, GeoUnit.Kilometers), Order.Ascending, options: GeoSearchOptions.WithDistance);
        Assert.Equal([fe, ff], found.Select(r => r.Member));
        GeoSearchResult<byte[]>[] around = await _client.GeoSearchBytesAsync(key, ff, GeoSearchShape.Radius(10, GeoUnit.Kilometers), options: GeoSearchOptions.WithCoordinates);
        Assert.Equal([ff], around.Select(r => r.Member));
        Assert.Equal(PalermoLon, around[0].Position!.Value.Longitude, 5);
        Assert.Equal((await _client.GeoPositionAsync(key, ff))!.Value, around[0].Position);
        Assert.Null(await _client.GeoPositionAsync(key, new byte[] { 0xFD, 0x00, 0xC3, 0x28 }));
        Assert.Equal(166274.1516, (await _client.GeoDistanceAsync(key, ff, fe))!.Value, 3);
        Assert.Equal("sqc8b49rny0", await _client.GeoHashAsync(key, ff));
    }

    private static List<Task<string>> Script(IRedisCommands redis, string tag)
    {
        static string Render(object? value) => value switch
        {
            null => "(nil)",
            string s => s,
            double d => d.ToString("F4", CultureInfo.InvariantCulture),
            GeoPosition p => p.Longitude.ToString("F5", CultureInfo.InvariantCulture) + "," + p.Latitude.ToString("F5", CultureInfo.InvariantCulture),
            GeoSearchResult<string> r => r.Member + "/" + Render(r.Distance) + "/" + Render(r.Hash) + "/" + Render(r.Position),
            System.Collections.IEnumerable many => "[" + string.Join(";", many.Cast<object?>().Select(Render)) + "]",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        static async Task<string> Text<T>(ValueTask<T> result) => Render(await result);
        RedisKey g = tag + ":g", dst = tag + ":dst";
        GeoSearchShape around = GeoSearchShape.Radius(200, GeoUnit.Kilometers);
        return
        [
            Text(redis.KeyDeleteAsync(g)),
            Text(redis.GeoAddAsync(g, [new GeoEntry(PalermoLon, PalermoLat, "Palermo"), new GeoEntry(CataniaLon, CataniaLat, "Catania")])),
            Text(redis.GeoAddAsync(g, 13.5, 37.3, "Agrigento", SetCondition.NotExists)),
            Text(redis.GeoDistanceAsync(g, "Palermo", "Catania", GeoUnit.Kilometers)),
            Text(redis.GeoPositionAsync(g, "Catania")),
            Text(redis.GeoPositionAsync(g, ["Palermo", "Nowhere"])),
            Text(redis.GeoHashAsync(g, ["Palermo", "Nowhere"])),
            Text(redis.GeoSearchAsync(g, 15, 37, around, Order.Ascending, options: GeoSearchOptions.WithCoordinates | GeoSearchOptions.WithDistance | GeoSearchOptions.WithHash)),
            Text(redis.GeoSearchAsync(g, "Agrigento", GeoSearchShape.Box(300, 100, GeoUnit.Kilometers), Order.Descending, count: 2, options: GeoSearchOptions.WithDistance)),
            Text(redis.GeoSearchAndStoreAsync(g, dst, 15, 37, around, storeDistances: true)),
            Text(redis.SortedSetRangeByRankAsync(dst)),
            Text(redis.KeyDeleteAsync(dst)),
        ];
    }

    [Fact]
    public async Task The_same_script_gives_the_same_answers_on_client_batch_transaction_and_resp2()
    {
        var fromClient = new List<string>();
        foreach (Task<string> step in Script(_client, "{geo-c}")) fromClient.Add(await step);
        string expected = string.Join("|", fromClient);
        Assert.StartsWith("False|2|True|166.2742|15.08727,37.50267|[13.36139,38.11556;(nil)]|[sqc8b49rny0;(nil)]|[Catania/56.4413/", expected);
        Assert.EndsWith("|3|[Catania;Agrigento;Palermo]|True", expected);

        ClusterBatch batch = _client.CreateBatch();
        List<Task<string>> batched = Script(batch, "{geo-b}");
        batch.Execute();
        Assert.Equal(expected, string.Join("|", await Task.WhenAll(batched)));

        ClusterTransaction tx = _client.CreateTransaction();
        List<Task<string>> queued = Script(tx, "{geo-t}");
        Assert.True(await tx.CommitAsync());
        Assert.Equal(expected, string.Join("|", await Task.WhenAll(queued)));

        await using ClusterClient resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        var fromResp2 = new List<string>();
        foreach (Task<string> step in Script(resp2, "{geo-2}")) fromResp2.Add(await step);
        Assert.Equal(expected, string.Join("|", fromResp2));

        foreach (string tag in (string[])["{geo-c}", "{geo-b}", "{geo-t}", "{geo-2}"])
        {
            Assert.Equal("3", await OnOwner(tag, "ZCARD", tag + ":g"));
            Assert.Equal("0", await OnOwner(tag, "EXISTS", tag + ":dst"));
        }
    }

    [Fact]
    public async Task Keys_in_different_slots_and_bad_arguments_are_refused_before_anything_is_sent()
    {
        const string key = "geo:x:{one}";
        await Sicily(key);
        Assert.NotEqual(ClusterClient.GetSlot(key), ClusterClient.GetSlot("geo:x:{two}"));
        IRedisCommands[] surfaces = [_client, _client.CreateBatch(), _client.CreateTransaction()];
        GeoSearchShape radius = GeoSearchShape.Radius(10);
        foreach (IRedisCommands redis in surfaces)
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.GeoSearchAndStoreAsync(key, "geo:x:{two}", "Palermo", radius); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.GeoSearchAndStoreAsync(key, "geo:x:{two}", 15, 37, radius, storeDistances: true); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoAddAsync(key, 181, 0, "m"); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoAddAsync(key, 0, 85.1, "m"); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoAddAsync(key, double.NaN, 0, "m"); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoAddAsync(key, [new GeoEntry(1, 1, "ok"), new GeoEntry(1, -90, "bad")]); });
            Assert.Throws<ArgumentException>(() => { _ = redis.GeoAddAsync(key, Array.Empty<GeoEntry>()); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoAddAsync(key, 1, 1, "m", (SetCondition)5); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoDistanceAsync(key, "a", "b", (GeoUnit)9); });
            Assert.Throws<ArgumentException>(() => { _ = redis.GeoPositionAsync(key, Array.Empty<RedisArgument>()); });
            Assert.Throws<ArgumentException>(() => { _ = redis.GeoHashAsync(key, Array.Empty<RedisArgument>()); });
            Assert.Throws<ArgumentException>(() => { _ = redis.GeoSearchAsync(key, "Palermo", default); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoSearchAsync(key, "Palermo", radius, count: 0); });
            Assert.Throws<ArgumentException>(() => { _ = redis.GeoSearchAsync(key, "Palermo", radius, any: true); });
            Assert.Throws<ArgumentException>(() => { _ = redis.GeoSearchAsync(key, default(RedisArgument), radius); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoSearchBytesAsync(key, 200, 0, radius); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoSearchAsync(key, "Palermo", radius, (Order)4); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoSearchAsync(key, "Palermo", radius, options: (GeoSearchOptions)8); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.GeoSearchAndStoreAsync(key, key + ":dst", "Palermo", radius, count: -5); });
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => GeoSearchShape.Radius(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GeoSearchShape.Radius(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => GeoSearchShape.Box(-0.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GeoSearchShape.Box(1, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => GeoSearchShape.Radius(1, (GeoUnit)9));
        Assert.Equal(0, ((ClusterBatch)surfaces[1]).Count);
        Assert.True(await ((ClusterTransaction)surfaces[2]).CommitAsync());
        Assert.Equal("0", await OnOwner("geo:x:{two}", "EXISTS", "geo:x:{two}"));
        Assert.Equal("0", await OnOwner(key, "EXISTS", key + ":dst"));
        Assert.Equal("2", await OnOwner(key, "ZCARD", key));
    }
}

/// <summary><see cref="GeoCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterGeoCommandTests(ClusterFixture fixture) : GeoCommandTests
{
    protected override string ConfigurationString => fixture.Cluster.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.Cluster.OnOwner(key, command);
}

/// <summary><see cref="GeoCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneGeoCommandTests(StandaloneServerFixture fixture) : GeoCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}

/// <summary><see cref="GeoCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedGeoCommandTests(ReplicatedServerFixture fixture) : GeoCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}
