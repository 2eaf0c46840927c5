using System.Collections.Concurrent;

namespace Keyslot.Connections;

/// <summary>
/// A bounded pool of reusable objects. Sized for thousands of commands in flight, so that steady load reuses
/// instead of allocating; beyond the bound a returned object is left to the GC.
/// </summary>
internal sealed class ObjectPool<T> where T : class
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly Func<T> _factory;
    private readonly int _capacity;
    private int _count;

    public ObjectPool(Func<T> factory, int capacity = 8192)
    {
        _factory = factory;
        _capacity = capacity;
    }

    public T Rent()
    {
        if (_items.TryDequeue(out T? item))
        {
            Interlocked.Decrement(ref _count);
            return item;
        }
        return _factory();
    }

    public void Return(T item)
    {
        if (Interlocked.Increment(ref _count) <= _capacity)
        {
            _items.Enqueue(item);
            return;
        }
        Interlocked.Decrement(ref _count);
    }
}
