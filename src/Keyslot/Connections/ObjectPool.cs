using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Keyslot.Connections;

/// <summary>
/// A bounded pool of reusable objects. Sized for thousands of commands in flight, so that steady load reuses instead
/// of allocating; beyond the bound a returned object is left to the GC.
/// </summary>
/// <remarks>
/// Each thread keeps a few objects of its own in front of the shared queue. The common road is a caller's continuation
/// that returns its finished operation and at once rents one for its next command, on the same thread: that road then
/// touches no memory another core writes too. A shared queue alone costs several atomic operations per command on
/// cache lines that move between the cores each time, which a profile showed as a visible share of a command's cost.
/// The per-thread objects live in <see cref="PerThreadObjects"/>, not in a thread-static field of this generic class:
/// for a class instantiated over reference types such a field is found through a runtime lookup on every access.
/// </remarks>
internal sealed class ObjectPool<T> where T : class
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly Func<T> _factory;
    private readonly int _capacity;
    private readonly int _id = PerThreadObjects.NewPoolId();
    private int _count;

    public ObjectPool(Func<T> factory, int capacity = 8192)
    {
        _factory = factory;
        _capacity = capacity;
    }

    public T Rent()
    {
        if (PerThreadObjects.Of(_id)?.TryTake() is { } local) return Unsafe.As<T>(local);
        if (_items.TryDequeue(out T? shared))
        {
            Interlocked.Decrement(ref _count);
            return shared;
        }
        return _factory();
    }

    public void Return(T item)
    {
        if (PerThreadObjects.OfOrNew(_id).TryPut(item)) return;
        if (Interlocked.Increment(ref _count) <= _capacity)
        {
            _items.Enqueue(item);
            return;
        }
        Interlocked.Decrement(ref _count);
    }
}

/// <summary>One thread's few objects of one <see cref="ObjectPool{T}"/>, found by the pool's number.</summary>
internal sealed class PerThreadObjects
{
    public const int Capacity = 16;

    [ThreadStatic] private static PerThreadObjects?[]? t_byPool;
    private static int s_pools;

    private readonly object?[] _items = new object?[Capacity];
    private int _count;

    public static int NewPoolId() => Interlocked.Increment(ref s_pools) - 1;

    /// <summary>This thread's objects of pool <paramref name="pool"/>, or null when it has never returned one.</summary>
    public static PerThreadObjects? Of(int pool)
    {
        PerThreadObjects?[]? all = t_byPool;
        return all is not null && (uint)pool < (uint)all.Length ? all[pool] : null;
    }

    public static PerThreadObjects OfOrNew(int pool) => Of(pool) ?? New(pool);

    private static PerThreadObjects New(int pool)
    {
        PerThreadObjects?[]? all = t_byPool;
        if (all is null || pool >= all.Length) Array.Resize(ref all, Math.Max(pool + 1, Math.Max(4, (all?.Length ?? 0) * 2)));
        t_byPool = all;
        return all[pool] = new PerThreadObjects();
    }

    public object? TryTake()
    {
        if (_count == 0) return null;
        int index = --_count;
        object? item = _items[index];
        _items[index] = null;
        return item;
    }

    public bool TryPut(object item)
    {
        if (_count == _items.Length) return false;
        _items[_count++] = item;
        return true;
    }
}
