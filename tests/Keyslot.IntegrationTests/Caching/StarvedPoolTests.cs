using System.Diagnostics;
using Keyslot.Extensions.Caching;
using Keyslot.Testing;
using Microsoft.Extensions.Caching.Distributed;

namespace Keyslot.IntegrationTests.Caching;

/// <summary>
/// The synchronous methods are not sync-over-async: they finish while every thread-pool thread is blocked, where a
/// wait on the async methods would need a pool thread for each continuation and hang until the pool recovered.
/// </summary>
[Collection(Infrastructure.StarvedPoolCollection.Name)]
public sealed class StarvedPoolTests : IAsyncLifetime
{
    // Far longer than the pool takes to run a work item when it has a free thread; far shorter than it takes to work
    // through the blockers by injecting threads. A bound on liveness, not a performance target.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private LocalRedisCluster _cluster = null!;
    private ClusterClient _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 1 });
        _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public void Get_Set_Refresh_and_Remove_complete_while_the_thread_pool_is_starved()
    {
        var cache = new KeyslotCache(_client, "starved:");
        var sliding = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) };
        cache.Set("warm", [0], sliding); // the synchronous connection exists before the pool is starved

        // Not disposed: blockers still queued when the test ends call Wait on it (and return at once, since it is set).
        var gate = new ManualResetEventSlim();
        int blockers = ThreadPool.ThreadCount + (Environment.ProcessorCount * 4) + 200;
        for (int i = 0; i < blockers; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(g => g.Wait(TimeSpan.FromMinutes(2)), gate, preferLocal: false);
        }
        var probe = Task.Run(() => { }); // queued behind the blockers: still pending proves the pool was starved
        byte[]? read = null, afterRemove = [1];
        Exception? failure = null;
        var caller = new Thread(() =>
        {
            try
            {
                cache.Set("k", [4, 2], sliding);
                read = cache.Get("k");
                cache.Refresh("k");
                cache.Remove("k");
                afterRemove = cache.Get("k");
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }) { IsBackground = true };
        var elapsed = Stopwatch.StartNew();
        bool finished;
        bool starved;
        try
        {
            caller.Start();
            finished = caller.Join(Bound);
            starved = !probe.IsCompleted;
        }
        finally
        {
            gate.Set();
        }

        Assert.True(finished, $"the synchronous calls had not finished after {elapsed.Elapsed.TotalSeconds:0} s with the pool starved");
        Assert.Null(failure);
        Assert.True(starved, "the pool ran a queued work item meanwhile: it was not starved, so the test proved nothing");
        Assert.Equal([4, 2], read);
        Assert.Null(afterRemove);
    }
}
