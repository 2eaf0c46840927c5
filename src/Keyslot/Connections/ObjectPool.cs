using System.Collections.Concurrent;

namespace Keyslot.Connections;

/// <summary>
/// A bounded pool of reusable objects, at most one per type <typeparamref name="T"/>. Sized for thousands of commands
/// in flight, so that steady load reuses instead of allocating; beyond the bound a returned object is left to the GC.
/// </summary>
/// <remarks>
/// Each thread keeps a few objects of its own in front of the shared queue. The common road is a caller's continuation
/// that returns its finished operation and at once rents one for its next command, on the same thread: that road then
/// touches no memory another core writes too. A shared queue alone costs several atomic operations per command on
/// cache lines that move between the cores each time, which a profile showed as a visible share of a command's cost.
/// </remarks>
internal sealed class ObjectPool<T> where T : class
{
    private const int PerThread = 16;

    // Thread-static fields belong to the type, not the instance: hence one pool per type (checked in the constructor).
    [ThreadStatic] private static T?[]? t_items;
    [ThreadStatic] private static int t_count;
    private static int s_instances;

    private readonly ConcurrentQueue<T> _items = new();
    private readonly Func<T> _factory;
    private readonly int _capacity;
    private int _count;

    public ObjectPool(Func<T> factory, int capacity = 8192)
    {
        if (Interlocked.Increment(ref s_instances) != 1) throw new InvalidOperationException($"Only one ObjectPool<{typeof(T).Name}> may exist: its per-thread objects are per type.");
        _factory = factory;
        _capacity = capacity;
    }

    public T Rent()
    {
        T?[]? local = t_items;
        if (local is not null && t_count > 0)
        {
            int index = --t_count;
            T item = local[index]!;
            local[index] = null;
            return item;
        }
        if (_items.TryDequeue(out T? shared))
        {
            Interlocked.Decrement(ref _count);
            return shared;
        }
        return _factory();
    }

    public void Return(T item)
    {
        T?[] local = t_items ??= new T?[PerThread];
        if (t_count < local.Length)
        {
            local[t_count++] = item;
            return;
        }
        if (Interlocked.Increment(ref _count) <= _capacity)
        {
            _items.Enqueue(item);
            return;
        }
        Interlocked.Decrement(ref _count);
    }
}
