using Microsoft.Extensions.Caching.Distributed;

namespace Keyslot.IntegrationTests.Caching;

/// <summary>One cache's four operations through its synchronous or its asynchronous methods, so each case runs both ways.</summary>
internal sealed class CacheCalls(IDistributedCache cache, bool sync)
{
    public IDistributedCache Cache { get; } = cache;

    public async Task<byte[]?> Get(string key) => sync ? Cache.Get(key) : await Cache.GetAsync(key);

    public async Task Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        if (sync) Cache.Set(key, value, options);
        else await Cache.SetAsync(key, value, options);
    }

    public async Task Refresh(string key)
    {
        if (sync) Cache.Refresh(key);
        else await Cache.RefreshAsync(key);
    }

    public async Task Remove(string key)
    {
        if (sync) Cache.Remove(key);
        else await Cache.RemoveAsync(key);
    }
}
