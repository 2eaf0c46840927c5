using Keyslot.Connections;

namespace Keyslot.Tests.Connections;

/// <summary>
/// The pool of reusable objects: a thread gets back what it returned without touching the shared queue, what one
/// thread returns beyond its own few reaches the others, the bound holds across both, and a second pool of one type
/// (whose per-thread objects would be shared with the first) is refused. Each test pools its own type.
/// </summary>
public sealed class ObjectPoolTests
{
    private sealed class SameThread;
    private sealed class AcrossThreads;
    private sealed class Bounded;
    private sealed class Twice;

    [Fact]
    public void An_object_returned_on_a_thread_is_what_that_thread_rents_next()
    {
        int made = 0;
        var pool = new ObjectPool<SameThread>(() => { made++; return new SameThread(); });
        RunOnNewThread(() =>
        {
            SameThread first = pool.Rent();
            pool.Return(first);
            Assert.Same(first, pool.Rent());
        });
        Assert.Equal(1, made);
    }

    [Fact]
    public void What_one_thread_returns_beyond_its_own_few_is_rented_on_another()
    {
        int made = 0;
        var pool = new ObjectPool<AcrossThreads>(() => { Interlocked.Increment(ref made); return new AcrossThreads(); });
        int reused = ReturnOnOneThreadRentOnAnother(pool, 40);
        Assert.Equal(40 - 16, reused); // the first thread keeps 16 of its own; the shared queue has the rest
        Assert.Equal(16, made);
    }

    [Fact]
    public void Beyond_the_bound_a_returned_object_is_left_to_the_collector()
    {
        var pool = new ObjectPool<Bounded>(() => new Bounded(), capacity: 4);
        Assert.Equal(4, ReturnOnOneThreadRentOnAnother(pool, 30));
    }

    [Fact]
    public void A_second_pool_of_one_type_is_refused()
    {
        _ = new ObjectPool<Twice>(() => new Twice());
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => new ObjectPool<Twice>(() => new Twice()));
        Assert.Contains("Twice", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Returns <paramref name="count"/> new objects on one thread, rents as many on another: how many came back.</summary>
    private static int ReturnOnOneThreadRentOnAnother<T>(ObjectPool<T> pool, int count) where T : class, new()
    {
        var returned = new HashSet<T>();
        RunOnNewThread(() =>
        {
            for (int i = 0; i < count; i++) returned.Add(new T());
            foreach (T item in returned) pool.Return(item);
        });
        int reused = 0;
        RunOnNewThread(() =>
        {
            for (int i = 0; i < count; i++)
            {
                if (returned.Contains(pool.Rent())) reused++;
            }
        });
        return reused;
    }

    private static void RunOnNewThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException($"On the other thread: {failure}");
    }
}
