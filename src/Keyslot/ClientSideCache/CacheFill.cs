using System.Buffers;
using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.ClientSideCache;

/// <summary>
/// A cacheable read sent on a tracking connection, and its placeholder in the cache until the reply arrives. The
/// reply is taken on the read loop, in order with the connection's invalidation pushes, so "was the key invalidated
/// while the read was in flight" has an exact answer there: if it was (<see cref="Poisoned"/>), the reply still goes
/// to the caller but is not stored. The caller gets the reply frame's bytes (null when the read must take the
/// ordinary road instead: an error reply such as MOVED, or the connection lost), and parses them off the read loop.
/// </summary>
internal sealed class CacheFill : PendingReply
{
    private readonly TaskCompletionSource<byte[]?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClientCache _cache;
    private readonly string _command;

    public CacheFill(ClientCache cache, string command, byte[] request, byte[] key, TrackingEpoch epoch, int slot, long slotWrites, long readStartedAt, TimeSpan timeout)
    {
        _cache = cache;
        _command = command;
        Request = request;
        Key = key;
        Epoch = epoch;
        Slot = slot;
        SlotWrites = slotWrites;
        ReadStartedAt = readStartedAt;
        Deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    public byte[] Request { get; }
    public byte[] Key { get; }
    public TrackingEpoch Epoch { get; }
    public int Slot { get; }
    public long SlotWrites { get; }
    /// <summary>When the read was sent, on the cache's <see cref="TimeProvider"/> (the entry's age counts from here).</summary>
    public long ReadStartedAt { get; }

    /// <summary>Set under the store's lock by an invalidation of <see cref="Key"/> (or a local write) while the read is in flight.</summary>
    public bool Poisoned;
    /// <summary>The next in-flight read of the same key.</summary>
    public CacheFill? NextOfKey;

    public Task<byte[]?> Task => _completion.Task;

    public override string CommandName => _command;

    public override void OnReply(ref RespReader reader)
    {
        if (reader.IsError)
        {
            _cache.Abandon(this);
            _completion.TrySetResult(null); // MOVED, ASK, LOADING…: the ordinary road knows what to do
            return;
        }
        byte[] reply = reader.Frame.ToArray();
        _cache.OnFilled(this, reply);
        _completion.TrySetResult(reply);
    }

    public override void OnTimeout(NodeConnection connection, int inFlight)
    {
        _cache.Abandon(this);
        _completion.TrySetException(new RedisTimeoutException(_command, connection.Endpoint, Slot, connection.CommandTimeout, inFlight));
    }

    public override void OnConnectionLost(NodeConnection connection, Exception cause)
    {
        _cache.Abandon(this);
        _completion.TrySetResult(null); // a read: the ordinary road sends it again
    }

    public override void Fail(Exception error)
    {
        _cache.Abandon(this);
        _completion.TrySetException(error);
    }
}
