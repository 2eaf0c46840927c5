using System.Buffers;
using Keyslot.Extensions.Caching;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.Extensions.Caching.Distributed;

namespace Keyslot.IntegrationTests.Caching;

/// <summary>
/// What KeyslotCache adds or does differently from RedisCache: the atomic scripted Set (and its EVAL fallback), the
/// buffer API HybridCache uses, cancellation, argument checks, and the two deliberate differences.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KeyslotCacheTests(ClusterFixture fixture) : IAsyncLifetime
{
    private readonly LocalRedisCluster _cluster = fixture.Cluster;
    private CacheFactories _caches = null!;

    public async Task InitializeAsync() => _caches = await CacheFactories.StartAsync(_cluster.ConfigurationString);

    public async Task DisposeAsync() => await _caches.DisposeAsync();

    private static string NewKey(string what) => $"kcache:{what}:{Guid.NewGuid():N}";

    private async Task<string> OnOwner(string key, params string[] command) =>
        await _cluster.ExecuteAsync(await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key)), command);

    private async Task<long> Ttl(string key) => long.Parse(await OnOwner(key, "TTL", key), System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Set_after_the_servers_forgot_the_script_sends_it_in_full_and_still_writes_value_and_ttl(bool sync)
    {
        var cache = new CacheCalls(_caches.Keyslot(null), sync);
        string key = NewKey("noscript");
        var options = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(90) };
        await cache.Set(key, [1], options); // the script is now cached on the owner
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            Assert.Equal("OK", await _cluster.ExecuteAsync(primary, "SCRIPT", "FLUSH"));
        }

        await cache.Set(key, [2], options); // EVALSHA answers NOSCRIPT: EVAL

        Assert.Equal([2], await cache.Get(key));
        Assert.InRange(await Ttl(key), 89, 90);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Set_without_expiration_over_an_entry_with_a_ttl_drops_the_ttl_where_RedisCache_keeps_it(bool sync)
    {
        var keyslot = new CacheCalls(_caches.Keyslot(null), sync);
        var redis = new CacheCalls(_caches.Redis(null), sync);
        string mine = NewKey("persist-keyslot");
        string theirs = NewKey("persist-redis");
        var expiring = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) };
        await keyslot.Set(mine, [1], expiring);
        await redis.Set(theirs, [1], expiring);

        await keyslot.Set(mine, [2], new DistributedCacheEntryOptions());
        await redis.Set(theirs, [2], new DistributedCacheEntryOptions());

        Assert.Equal(-1, await Ttl(mine)); // "no expiration" holds: the entry stays
        Assert.InRange(await Ttl(theirs), 290, 300); // RedisCache's HSET leaves the old TTL: the entry still expires
        Assert.Equal("-1", await OnOwner(theirs, "HGET", theirs, "absexp"));
    }

    [Fact]
    public async Task An_absolute_expiration_with_an_offset_is_stored_as_utc_ticks()
    {
        KeyslotCache cache = _caches.Keyslot(null);
        string key = NewKey("offset");
        DateTimeOffset at = DateTimeOffset.UtcNow.AddHours(1).ToOffset(TimeSpan.FromHours(5));
        await cache.SetAsync(key, [1], new DistributedCacheEntryOptions { AbsoluteExpiration = at, SlidingExpiration = TimeSpan.FromHours(2) });
        Assert.Equal(at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), await OnOwner(key, "HGET", key, "absexp"));

        await OnOwner(key, "EXPIRE", key, "5");
        Assert.Equal([1], await cache.GetAsync(key));
        Assert.InRange(await Ttl(key), 3590, 3600); // the renewal is capped by the real expiration, an hour away
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_buffer_API_writes_into_the_destination_and_accepts_multi_segment_values(bool sync)
    {
        IBufferDistributedCache cache = _caches.Keyslot(null);
        string key = NewKey("buffers");
        byte[] first = [1, 2, 3], second = [0, 0xFF, 4, 5];
        ReadOnlySequence<byte> value = Segments.Of(first, second);

        if (sync) cache.Set(key, value, new DistributedCacheEntryOptions());
        else await cache.SetAsync(key, value, new DistributedCacheEntryOptions());

        var destination = new ArrayBufferWriter<byte>();
        destination.Write<byte>([9]); // what the destination already held stays before the value
        bool found = sync ? cache.TryGet(key, destination) : await cache.TryGetAsync(key, destination);
        Assert.True(found);
        Assert.Equal([9, 1, 2, 3, 0, 0xFF, 4, 5], destination.WrittenSpan.ToArray());

        var empty = new ArrayBufferWriter<byte>();
        bool missing = sync ? cache.TryGet(NewKey("absent"), empty) : await cache.TryGetAsync(NewKey("absent"), empty);
        Assert.False(missing);
        Assert.Equal(0, empty.WrittenCount);
    }

    [Fact]
    public async Task A_cancelled_token_stops_each_async_method_before_it_sends_anything()
    {
        KeyslotCache cache = _caches.Keyslot(null);
        string key = NewKey("cancelled");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.SetAsync(key, [1], new DistributedCacheEntryOptions(), cancelled.Token));
        Assert.Equal("0", await OnOwner(key, "EXISTS", key));
        await cache.SetAsync(key, [1], new DistributedCacheEntryOptions());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetAsync(key, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.RefreshAsync(key, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.RemoveAsync(key, cancelled.Token));
        Assert.Equal("1", await OnOwner(key, "EXISTS", key));
    }

    [Fact]
    public async Task Bad_arguments_throw_naming_the_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => new KeyslotCache(_caches.Client, "{app}:"));
        Assert.Equal("instanceName", error.ParamName);
        Assert.Contains("hash tag '{app}'", error.Message, StringComparison.Ordinal);
        _ = new KeyslotCache(_caches.Client, "app{}:"); // empty braces are no hash tag
        Assert.Throws<ArgumentNullException>(() => new KeyslotCache(null!));

        KeyslotCache cache = _caches.Keyslot(null);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.Get(null!)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => cache.Set("k", null!, new DistributedCacheEntryOptions())).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => cache.Set("k", [1], null!)).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentNullException>(() => cache.GetAsync(null!))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => cache.TryGet("k", null!)).ParamName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hash_whose_expiration_field_is_not_ticks_fails_naming_the_field(bool sync)
    {
        var cache = new CacheCalls(_caches.Keyslot(null), sync);
        string key = NewKey("foreign");
        await OnOwner(key, "HSET", key, "absexp", "-1", "sldexp", "soon", "data", "x");
        var error = await Assert.ThrowsAsync<RedisException>(() => cache.Get(key));
        Assert.Contains("'sldexp' holds 'soon'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A sequence of several segments, as a pipe hands out.</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(byte[] memory, long runningIndex) => (Memory, RunningIndex) = (memory, runningIndex);

        public static ReadOnlySequence<byte> Of(byte[] first, byte[] second)
        {
            var head = new Segments(first, 0);
            var tail = new Segments(second, first.Length);
            head.Next = tail;
            return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
        }
    }
}
