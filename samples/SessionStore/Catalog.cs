using Microsoft.Extensions.Caching.Hybrid;

namespace SessionStore;

/// <summary>A product of the shop.</summary>
internal sealed record Product(string Id, string Name, decimal Price);

/// <summary>The product list, read through HybridCache (in memory, then the cluster, then the slow "database").</summary>
internal sealed class Catalog(HybridCache cache)
{
    private static readonly Product[] Products =
    [
        new("tea", "Green tea, 100 g", 4.50m),
        new("mug", "Enamel mug", 9.90m),
        new("kettle", "Gooseneck kettle", 39.00m),
        new("filter", "Paper filters, 100", 3.20m),
    ];

    private int _databaseLoads;

    /// <summary>How many times the list came from the "database" (every other read was a cache hit).</summary>
    public int DatabaseLoads => Volatile.Read(ref _databaseLoads);

    public ValueTask<Product[]> GetProductsAsync(CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync("products", this, static async (self, token) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), token); // the slow query the cache saves
            Interlocked.Increment(ref self._databaseLoads);
            return Products;
        }, cancellationToken: cancellationToken);
}
