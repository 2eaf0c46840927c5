namespace Keyslot.Connections;

/// <summary>
/// The FIFO of replies a connection awaits: a growable ring buffer. Not thread-safe: the connection locks around it.
/// </summary>
internal sealed class ReplyQueue
{
    private ReplySlot[] _items = new ReplySlot[64];
    private int _head;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Enqueue(PendingReply reply)
    {
        if (_count == _items.Length) Grow();
        _items[(_head + _count) & (_items.Length - 1)].Reply = reply;
        _count++;
    }

    /// <summary>Puts <paramref name="reply"/> back at the head: the read loop took it and could not answer it.</summary>
    public void PushFront(PendingReply reply)
    {
        if (_count == _items.Length) Grow();
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head].Reply = reply;
        _count++;
    }

    /// <summary>Takes back the <paramref name="count"/> newest replies: the write that queued them failed before any of it was sent.</summary>
    public void RemoveNewest(int count)
    {
        for (int i = 0; i < count; i++)
        {
            int index = (_head + _count - 1) & (_items.Length - 1);
            _items[index].Reply!.InQueue = false;
            _items[index].Reply = null;
            _count--;
        }
    }

    /// <summary>When the oldest queued reply was sent (0 when the queue is empty).</summary>
    public long PeekSentAt()
    {
        ReplySlot[] items = _items;
        return Volatile.Read(ref _count) == 0 ? 0 : items[_head & (items.Length - 1)].Reply?.SentAt ?? 0;
    }

    public PendingReply? Dequeue()
    {
        if (_count == 0) return null;
        PendingReply? reply = _items[_head].Reply;
        _items[_head].Reply = null;
        _head = (_head + 1) & (_items.Length - 1);
        _count--;
        return reply;
    }

    /// <summary>Adds to <paramref name="expired"/> every queued reply whose deadline is before <paramref name="now"/>, pushing each deadline out so it fires once.</summary>
    public void CollectExpired(long now, List<PendingReply> expired)
    {
        int mask = _items.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            PendingReply reply = _items[(_head + i) & mask].Reply!;
            if (reply.Deadline < now)
            {
                reply.Deadline = long.MaxValue;
                expired.Add(reply);
            }
        }
    }

    /// <summary>
    /// Takes the queued replies that <paramref name="match"/> selects out of the queue, leaving a placeholder in each
    /// place (their frames will still arrive, in order, and are dropped).
    /// </summary>
    public void DetachWhere(Func<PendingReply, bool> match, PendingReply placeholder, List<PendingReply> detached)
    {
        int mask = _items.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            int index = (_head + i) & mask;
            PendingReply reply = _items[index].Reply!;
            if (!ReferenceEquals(reply, placeholder) && match(reply))
            {
                _items[index].Reply = placeholder;
                detached.Add(reply);
            }
        }
    }

    public List<PendingReply> DrainAll()
    {
        var all = new List<PendingReply>(_count);
        while (Dequeue() is { } reply) all.Add(reply);
        return all;
    }

    private void Grow()
    {
        var bigger = new ReplySlot[_items.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _items[(_head + i) & (_items.Length - 1)];
        _items = bigger;
        _head = 0;
    }
}
