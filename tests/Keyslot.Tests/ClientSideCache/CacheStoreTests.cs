using System.Text;
using Keyslot.ClientSideCache;

namespace Keyslot.Tests.ClientSideCache;

/// <summary>
/// The cache's memory on its own: bounded in bytes, CLOCK eviction that keeps a skewed workload's hot set, dead
/// entries first, per-key invalidation of every request of a key, and in-flight reads poisoned by an invalidation.
/// </summary>
public class CacheStoreTests
{
    /// <summary>Entries are valid unless their slot is in <see cref="Dead"/>.</summary>
    private sealed class Validity : ICacheValidity
    {
        public HashSet<int> Dead { get; } = [];

        public bool IsValid(CacheEntry entry) => !Dead.Contains(entry.Slot);
    }

    private static readonly TrackingEpoch Epoch = new(null!); // the store never looks at the connection

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Request(string command, string key) => Bytes($"{command} {key}"); // any distinct bytes will do

    private static CacheFill Fill(string key, string command = "GET", int slot = 0) =>
        new(null!, command, Request(command, key), Bytes(key), Epoch, slot, slotWrites: 0, readStartedAt: 0, TimeSpan.FromSeconds(5));

    /// <summary>Registers a read of <paramref name="key"/> and completes it with a reply of <paramref name="replyBytes"/> bytes.</summary>
    private static bool Store(CacheStore store, string key, int replyBytes = 16, string command = "GET", int slot = 0)
    {
        CacheFill fill = Fill(key, command, slot);
        store.Register(fill);
        return store.Complete(fill, new byte[replyBytes], stillGood: true);
    }

    [Fact]
    public void The_bytes_held_never_exceed_the_capacity()
    {
        var store = new CacheStore(64 * 1024, new Validity());
        for (int i = 0; i < 2000; i++)
        {
            Assert.True(Store(store, "key:" + i, replyBytes: 900));
            Assert.InRange(store.Bytes, 1, store.Capacity);
        }
        Assert.InRange(store.Count, 50, 70); // 64 KiB over ~1.07 KiB per entry (reply, request, key, overhead)
        Assert.Equal(2000 - store.Count, store.Evictions);
    }

    [Fact]
    public void Under_a_skewed_workload_the_hot_keys_stay()
    {
        // Room for ~100 entries, 5,000 keys read with a Zipf(1) distribution: a read that misses stores its reply.
        var store = new CacheStore(100 * (CacheEntry.Overhead + 64), new Validity());
        var random = new Random(7);
        double[] cumulative = new double[5000];
        double sum = 0;
        for (int i = 0; i < cumulative.Length; i++) cumulative[i] = sum += 1.0 / (i + 1);
        int hits = 0, reads = 0, hotHits = 0, hotReads = 0;
        for (int n = 0; n < 50_000; n++)
        {
            int index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            int key = index < 0 ? ~index : index;
            bool hit = store.Find(Request("GET", "k" + key)) is not null;
            if (!hit) Store(store, "k" + key, replyBytes: 30);
            if (n < 10_000) continue; // warm-up
            reads++;
            hits += hit ? 1 : 0;
            if (key < 10)
            {
                hotReads++;
                hotHits += hit ? 1 : 0;
            }
        }
        // Fixed seed, so these are exact: 97.7 % for the 10 hottest keys and 46 % overall, for a cache of 2 % of the
        // keys (keeping the 100 hottest for ever would give 57 %).
        Assert.True(hotHits > 0.95 * hotReads, $"the 10 hottest keys hit {hotHits} of {hotReads} times");
        Assert.True(hits > 0.42 * reads, $"overall {hits} hits of {reads} reads");
        for (int key = 0; key < 3; key++) Assert.NotNull(store.Find(Request("GET", "k" + key)));
    }

    [Fact]
    public void Dead_entries_go_before_live_ones()
    {
        var validity = new Validity();
        var store = new CacheStore(10 * (CacheEntry.Overhead + 800), validity);
        for (int i = 0; i < 6; i++) Store(store, "live" + i, replyBytes: 780, slot: 1);
        for (int i = 0; i < 3; i++) Store(store, "dead" + i, replyBytes: 780, slot: 2);
        validity.Dead.Add(2); // e.g. their connection was lost
        Assert.Equal(9, store.Count);
        for (int i = 0; i < 4; i++) Store(store, "new" + i, replyBytes: 780, slot: 1);
        // Room for 10: the three dead entries made the room, whatever their place on the clock; no live one went.
        Assert.Equal(10, store.Count);
        for (int i = 0; i < 6; i++) Assert.NotNull(store.Find(Request("GET", "live" + i)));
        for (int i = 0; i < 3; i++) Assert.Null(store.Find(Request("GET", "dead" + i)));
        Assert.InRange(store.Bytes, 1, store.Capacity);
    }

    [Fact]
    public void An_invalidation_drops_every_cached_read_of_the_key_and_no_other()
    {
        var store = new CacheStore(1 << 20, new Validity());
        Store(store, "h", command: "HGET");
        Store(store, "h", command: "HGETALL");
        Store(store, "h", command: "EXISTS");
        Store(store, "other", command: "HGET");
        Assert.Equal(4, store.Count);

        Assert.Equal(3, store.Invalidate(Bytes("h")));
        Assert.Null(store.Find(Request("HGET", "h")));
        Assert.Null(store.Find(Request("HGETALL", "h")));
        Assert.Null(store.Find(Request("EXISTS", "h")));
        Assert.NotNull(store.Find(Request("HGET", "other")));
        Assert.Equal(1, store.Count);
        Assert.Equal(0, store.Invalidate(Bytes("h")));
    }

    [Fact]
    public void A_read_in_flight_when_its_key_is_invalidated_is_not_stored()
    {
        var store = new CacheStore(1 << 20, new Validity());
        CacheFill first = Fill("k"), second = Fill("k", "STRLEN"), unrelated = Fill("u");
        store.Register(first);
        store.Register(second);
        store.Register(unrelated);
        store.Invalidate(Bytes("k"));
        Assert.True(first.Poisoned);
        Assert.True(second.Poisoned);
        Assert.False(unrelated.Poisoned);

        Assert.False(store.Complete(first, new byte[8], stillGood: true));
        Assert.False(store.Complete(second, new byte[8], stillGood: true));
        Assert.True(store.Complete(unrelated, new byte[8], stillGood: true));
        Assert.Null(store.Find(Request("GET", "k")));
        Assert.NotNull(store.Find(Request("GET", "u")));

        // A read registered after the invalidation is stored.
        Assert.True(Store(store, "k"));
        Assert.NotNull(store.Find(Request("GET", "k")));
    }

    [Fact]
    public void A_read_that_went_stale_or_failed_or_is_too_large_is_not_stored()
    {
        var store = new CacheStore(64 * 1024, new Validity());
        CacheFill stale = Fill("a");
        store.Register(stale);
        Assert.False(store.Complete(stale, new byte[8], stillGood: false));
        CacheFill failed = Fill("b");
        store.Register(failed);
        Assert.False(store.Complete(failed, null, stillGood: true));
        Assert.False(Store(store, "c", replyBytes: 17 * 1024)); // over a quarter of the cache
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.Bytes);
    }
}
