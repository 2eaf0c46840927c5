using Keyslot.IntegrationTests.Extensions;
using Keyslot.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using static Keyslot.IntegrationTests.DataProtection.DataProtectionApps;

namespace Keyslot.IntegrationTests.DataProtection;

/// <summary>
/// Why the repository must not be sync-over-async: IXmlRepository is called synchronously, often on a request's
/// pool thread. Blocking on a task whose completion needs a pool thread hangs while the pool is starved; the
/// client's synchronous path runs on the caller's thread over its own blocking sockets and does not.
/// </summary>
[Collection(Infrastructure.StarvedPoolCollection.Name)]
public sealed class StarvedThreadPoolTests : IAsyncLifetime
{
    // Far more blockers than the pool injects threads in the test's bound, so work queued after them waits throughout.
    private const int Blockers = 400;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private LocalRedisCluster _cluster = null!;
    private ClusterClient _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 1 });
        _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString); // the slot map is known before the pool is blocked
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task The_key_ring_is_written_and_read_while_the_thread_pool_is_starved()
    {
        string listKey = NewListKey();
        string? roundTrip = null;
        Exception? error = null;
        var app = new Thread(() =>
        {
            try
            {
                using ServiceProvider services = OverKeyslot(_client, listKey);
                IDataProtector protector = Protector(services);
                roundTrip = protector.Unprotect(protector.Protect("starved")); // LRANGE, RPUSH of the first key, LRANGE again
            }
            catch (Exception e)
            {
                error = e;
            }
        }) { IsBackground = true, Name = "app request thread" };

        bool finished;
        long stillQueued;
        var gate = new ManualResetEventSlim();
        var released = new CountdownEvent(Blockers);
        for (int i = 0; i < Blockers; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => { gate.Wait(); released.Signal(); }, null);
        }
        try
        {
            app.Start();
            finished = app.Join(Bound);
            stillQueued = ThreadPool.PendingWorkItemCount; // still starved when the app thread finished
        }
        finally
        {
            gate.Set();
        }
        app.Join(Bound); // never leave it running against a disposed client
        // Every blocker has run before the gate goes away, so the pool is clear for the tests after this one.
        await Bounded.UntilAsync(() => Task.FromResult(released.IsSet), TimeSpan.FromSeconds(60), "the blocked pool work draining after the gate opened");
        gate.Dispose();
        released.Dispose();

        Assert.True(finished, $"the key ring was not read and written within {Bound.TotalSeconds:0} s while the pool was starved");
        Assert.Null(error);
        Assert.Equal("starved", roundTrip);
        Assert.True(stillQueued > 0, "the pool had caught up with the blockers, so the test did not run starved");
        LocalRedisNode primary = Assert.Single(await _cluster.GetPrimariesAsync());
        Assert.Equal("1", await _cluster.ExecuteAsync(primary, "LLEN", listKey));
    }
}
