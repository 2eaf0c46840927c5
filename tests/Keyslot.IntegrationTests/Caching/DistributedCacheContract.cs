using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.Extensions.Caching.Distributed;

namespace Keyslot.IntegrationTests.Caching;

/// <summary>
/// The IDistributedCache behaviours, one set of cases run against each implementation (a subclass per cache) over the
/// same local cluster, so KeyslotCache must give the answers RedisCache gives. Each case runs through the synchronous
/// and the asynchronous methods. What the server holds is read from the owning node itself (TTL, PTTL, HGET, EXISTS);
/// time passing is simulated by shortening the key's TTL on the server, so no case sleeps except the bounded waits
/// for an entry to expire.
/// </summary>
public abstract class DistributedCacheContract : IAsyncLifetime
{
    private static readonly TimeSpan ExpiryBound = TimeSpan.FromSeconds(6);

    protected DistributedCacheContract(ClusterFixture fixture) => Cluster = fixture.Cluster;

    protected LocalRedisCluster Cluster { get; }

    /// <summary>The cache under test, its keys prefixed with <paramref name="instanceName"/>.</summary>
    protected abstract IDistributedCache CreateCache(string? instanceName);

    /// <summary>The other implementation, for the cross-reads.</summary>
    protected abstract IDistributedCache CreateOtherCache(string? instanceName);

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    private CacheCalls Calls(bool sync, string? instanceName = null) => new(CreateCache(instanceName), sync);

    private static string NewKey(string what) => $"cache:{what}:{Guid.NewGuid():N}";

    private async Task<string> OnOwner(string key, params string[] command) =>
        await Cluster.ExecuteAsync(await Cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key)), command);

    private async Task<long> Ttl(string key) => long.Parse(await OnOwner(key, "TTL", key), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<long> Pttl(string key) => long.Parse(await OnOwner(key, "PTTL", key), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<bool> Exists(string key) => await OnOwner(key, "EXISTS", key) == "1";

    private async Task UntilExpired(CacheCalls cache, string key)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await Exists(key))
        {
            Assert.True(waited.Elapsed < ExpiryBound, $"{key} had not expired after {ExpiryBound.TotalSeconds:0} s (PTTL {await Pttl(key)})");
            await Task.Delay(100);
        }
        Assert.Null(await cache.Get(key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Get_of_a_missing_key_is_null_and_Refresh_and_Remove_of_it_do_nothing(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("missing");
        Assert.Null(await cache.Get(key));
        await cache.Refresh(key);
        await cache.Remove(key);
        Assert.False(await Exists(key));
        Assert.Null(await cache.Get(key));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 256)]
    [InlineData(true, 256)]
    [InlineData(false, 1 << 20)]
    [InlineData(true, 1 << 20)]
    public async Task Binary_values_round_trip_exactly_and_are_stored_as_a_hash_of_absexp_sldexp_data(bool sync, int length)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("binary");
        byte[] value = new byte[length];
        new Random(length).NextBytes(value);
        if (length >= 256) for (int i = 0; i < 256; i++) value[i] = (byte)i; // every byte value, NUL and 0xFF included

        await cache.Set(key, value, new DistributedCacheEntryOptions());

        Assert.Equal(value, await cache.Get(key));
        Assert.Equal("hash", await OnOwner(key, "TYPE", key));
        Assert.Equal(length.ToString(System.Globalization.CultureInfo.InvariantCulture), await OnOwner(key, "HSTRLEN", key, "data"));
        Assert.Equal("-1", await OnOwner(key, "HGET", key, "absexp"));
        Assert.Equal("-1", await OnOwner(key, "HGET", key, "sldexp"));
        Assert.Equal(-1, await Ttl(key)); // neither expiration: no TTL
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Set_overwrites_an_existing_entry(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("overwrite");
        await cache.Set(key, [1, 2, 3], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5) });
        await cache.Set(key, [4], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
        Assert.Equal([4], await cache.Get(key));
        Assert.Equal("-1", await OnOwner(key, "HGET", key, "sldexp"));
        Assert.InRange(await Ttl(key), 595, 600);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_relative_absolute_expiration_sets_the_ttl_in_whole_seconds_and_the_entry_expires(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("relative");
        await cache.Set(key, [42], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(2) });

        long pttl = await Pttl(key);
        Assert.InRange(pttl, 1, 2000); // EXPIRE 2
        string absexp = await OnOwner(key, "HGET", key, "absexp");
        var stored = new DateTimeOffset(long.Parse(absexp, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);
        Assert.InRange(stored - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-0.5), TimeSpan.FromSeconds(2));
        Assert.Equal([42], await cache.Get(key)); // a read does not extend an entry without a sliding window
        Assert.InRange(await Pttl(key), 1, pttl);

        await UntilExpired(cache, key);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_absolute_expiration_date_sets_its_ttl_and_stores_its_utc_ticks(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("absolute");
        DateTimeOffset at = DateTimeOffset.UtcNow.AddHours(1);
        await cache.Set(key, [7], new DistributedCacheEntryOptions { AbsoluteExpiration = at });

        Assert.InRange(await Ttl(key), 3590, 3600);
        Assert.Equal(at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), await OnOwner(key, "HGET", key, "absexp"));
        Assert.Equal([7], await cache.Get(key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_absolute_expiration_date_a_few_seconds_ahead_actually_expires(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("absolute-near");
        await cache.Set(key, [8], new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.UtcNow.AddSeconds(2.5) });
        Assert.InRange(await Pttl(key), 1, 2000); // 2.4… s truncated: EXPIRE 2
        Assert.Equal([8], await cache.Get(key));
        await UntilExpired(cache, key);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_expiration_under_one_second_truncates_to_EXPIRE_0_and_the_entry_is_gone_at_once(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("subsecond");
        await cache.Set(key, [9], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(900) });
        Assert.False(await Exists(key));
        Assert.Null(await cache.Get(key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_past_absolute_expiration_throws_ArgumentOutOfRangeException_naming_AbsoluteExpiration_and_writes_nothing(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("past");
        var past = new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(-1) };
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.Set(key, [1], past));
        Assert.Equal("AbsoluteExpiration", error.ParamName);
        Assert.StartsWith("The absolute expiration value must be in the future.", error.Message, StringComparison.Ordinal);
        Assert.Equal(past.AbsoluteExpiration, error.ActualValue);
        Assert.False(await Exists(key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_sliding_entry_gets_the_window_as_ttl_and_a_Get_renews_it(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("sliding-get");
        await cache.Set(key, [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(60) });
        Assert.InRange(await Ttl(key), 59, 60);
        Assert.Equal(TimeSpan.FromSeconds(60).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture), await OnOwner(key, "HGET", key, "sldexp"));
        Assert.Equal("-1", await OnOwner(key, "HGET", key, "absexp"));

        await OnOwner(key, "EXPIRE", key, "5"); // as if 55 s had passed
        Assert.Equal([1], await cache.Get(key));
        Assert.InRange(await Ttl(key), 59, 60);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refresh_renews_a_sliding_entry_and_leaves_an_absolute_one_alone(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string sliding = NewKey("sliding-refresh");
        string absolute = NewKey("absolute-refresh");
        await cache.Set(sliding, [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(60) });
        await cache.Set(absolute, [2], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(60) });
        await OnOwner(sliding, "EXPIRE", sliding, "5");
        await OnOwner(absolute, "EXPIRE", absolute, "5");

        await cache.Refresh(sliding);
        await cache.Refresh(absolute);

        Assert.InRange(await Ttl(sliding), 59, 60);
        Assert.InRange(await Ttl(absolute), 1, 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_absolute_expiration_caps_the_sliding_window_at_Set_and_at_every_renewal(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("capped");
        await cache.Set(key, [3], new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(60),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(20),
        });
        Assert.InRange(await Ttl(key), 19, 20);

        await OnOwner(key, "EXPIRE", key, "3");
        Assert.Equal([3], await cache.Get(key));
        Assert.InRange(await Pttl(key), 15_000, 20_000); // renewed only up to the absolute expiration, not 60 s
        await OnOwner(key, "EXPIRE", key, "3");
        await cache.Refresh(key);
        Assert.InRange(await Pttl(key), 15_000, 20_000);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Remove_deletes_the_entry_from_the_server(bool sync)
    {
        CacheCalls cache = Calls(sync);
        string key = NewKey("remove");
        await cache.Set(key, [5], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });
        Assert.True(await Exists(key));
        await cache.Remove(key);
        Assert.False(await Exists(key));
        Assert.Null(await cache.Get(key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_instance_name_prefixes_the_server_key(bool sync)
    {
        string instance = $"app{Guid.NewGuid():N}:";
        CacheCalls prefixed = Calls(sync, instance);
        CacheCalls plain = Calls(sync);
        string key = NewKey("prefix");
        await prefixed.Set(key, [6], new DistributedCacheEntryOptions());

        Assert.True(await Exists(instance + key));
        Assert.False(await Exists(key));
        Assert.Equal([6], await prefixed.Get(key));
        Assert.Null(await plain.Get(key));
        Assert.Equal([6], await plain.Get(instance + key)); // the same entry, named in full
        await prefixed.Remove(key);
        Assert.False(await Exists(instance + key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_entry_written_by_this_cache_is_read_and_renewed_by_the_other_and_the_other_way_round(bool sync)
    {
        string instance = $"x{Guid.NewGuid():N}:";
        CacheCalls mine = Calls(sync, instance);
        var other = new CacheCalls(CreateOtherCache(instance), sync);
        string written = NewKey("cross-mine");
        string read = NewKey("cross-other");
        byte[] value = [0, 1, 2, 0xFE, 0xFF];
        var options = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(60), AbsoluteExpiration = DateTimeOffset.UtcNow.AddHours(1) };

        await mine.Set(written, value, options);
        await other.Set(read, value, options);
        await OnOwner(instance + written, "EXPIRE", instance + written, "5");
        await OnOwner(instance + read, "EXPIRE", instance + read, "5");

        Assert.Equal(value, await other.Get(written));
        Assert.Equal(value, await mine.Get(read));
        Assert.InRange(await Ttl(instance + written), 59, 60); // each renewed the other's sliding window
        Assert.InRange(await Ttl(instance + read), 59, 60);
        Assert.Equal(await OnOwner(instance + written, "HGET", instance + written, "sldexp"), await OnOwner(instance + read, "HGET", instance + read, "sldexp"));

        await other.Remove(written);
        await mine.Remove(read);
        Assert.Null(await mine.Get(written));
        Assert.Null(await other.Get(read));
    }
}
