using System.Buffers;
using System.Runtime.CompilerServices;
using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot.ClientSideCache;

/// <summary>Told of each invalidation a tracking connection receives (tests keep a log of them); a null key is a flush.</summary>
internal delegate void InvalidationObserver(NodeEndpoint node, ReadOnlySpan<byte> key, bool flush);

/// <summary>
/// Server-assisted client-side caching: a cacheable read of a key whose slot's primary is node N goes over N's
/// tracking connection, where <c>CLIENT TRACKING ON</c> (default mode) makes the server remember what was read and push
/// <c>invalidate</c> on that same connection when anyone changes it; the reply is kept (<see cref="CacheStore"/>) and
/// later reads are answered from memory. Correct by construction rather than by scanning: an entry is served only
/// while the connection it was read through is alive in the same <see cref="TrackingEpoch"/>, the slot's current
/// primary is still that node, this client has not written to it since the read was sent (a write of one known key
/// retires that key, any other write its slot: <see cref="SlotWriteCounts"/>), and it is younger than the maximum age.
/// A read in flight when its key is invalidated is not stored (<see cref="CacheFill"/>); concurrent misses of one read
/// share it. Reads from replicas, batches and transactions bypass the cache.
/// </summary>
internal sealed class ClientCache : IPushHandler, ICacheValidity
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_request;

    private readonly Router _router;
    private readonly CacheStore _store;
    private readonly TimeProvider _time;
    private readonly long _maxAgeTicks; // TimeProvider ticks; 0: no bound
    private readonly SlotWriteCounts _writes = new();
    private readonly byte[][] _broadcastPrefixes; // empty: default tracking, every key is covered
    private readonly ConditionalWeakTable<NodeConnection, TrackingEpoch> _epochs = new();
    private readonly Lock _epochSync = new();
    private readonly StripedCounter _hits = new();
    private readonly StripedCounter _misses = new();
    private long _invalidations;

    public ClientCache(Router router, long capacity, TimeSpan maxAge, IEnumerable<string> broadcastPrefixes, TimeProvider? time = null)
    {
        var prefixes = new List<byte[]>();
        foreach (string prefix in broadcastPrefixes) prefixes.Add(System.Text.Encoding.UTF8.GetBytes(prefix));
        _broadcastPrefixes = [.. prefixes];
        _router = router;
        _time = time ?? TimeProvider.System;
        _maxAgeTicks = maxAge <= TimeSpan.Zero ? 0 : (long)(maxAge.TotalSeconds * _time.TimestampFrequency);
        _store = new CacheStore(capacity, this);
    }

    /// <summary>Told of every invalidation received (internal: the checker test's log of arrival times).</summary>
    public InvalidationObserver? InvalidationObserved { get; set; }

    public long Hits => _hits.Read();
    public long Misses => _misses.Read();
    public long Invalidations => Interlocked.Read(ref _invalidations);
    public long Evictions => _store.Evictions;
    public int Count => _store.Count;
    public long Bytes => _store.Bytes;
    public long Capacity => _store.Capacity;

    /// <summary>
    /// A cacheable read: from memory when a valid entry exists (a dictionary lookup and a parse of the kept reply,
    /// allocating only the result), otherwise over the tracking connection of the slot's primary, or the ordinary
    /// road while that connection is not up yet.
    /// </summary>
    public ValueTask<T> Read<T>(ClusterClient client, in CommandDefinition<T> command, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<T>(cancellationToken); // as on the server road
        ArrayBufferWriter<byte> buffer = t_request ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        command.Command.WriteTo(buffer);
        ReadOnlySpan<byte> request = buffer.WrittenSpan;
        if (_broadcastPrefixes.Length != 0 && !Covered(RequestKey.Slice(request))) return client.SendUncached(command, cancellationToken);
        if (_store.Find(request) is { } entry)
        {
            _hits.Increment();
            KeyslotTelemetry.CacheHits.Add(1);
            return Parse(entry.Reply, command.Parser, command.Command.Name, entry.Epoch.Connection.Endpoint);
        }
        _misses.Increment();
        KeyslotTelemetry.CacheMisses.Add(1);
        return Miss(client, command, request, cancellationToken);
    }

    private ValueTask<T> Miss<T>(ClusterClient client, in CommandDefinition<T> command, ReadOnlySpan<byte> request, CancellationToken cancellationToken)
    {
        if (_router.PrimaryFor(command.Slot) is not { } owner) return client.SendUncached(command, cancellationToken);
        NodeConnector tracking = _router.GetConnector(owner.Endpoint, ConnectionRole.Tracking, this);
        if (tracking.Current is not { } connection)
        {
            tracking.EnsureConnecting(out _); // this read takes the ordinary road; later ones the tracked one
            return client.SendUncached(command, cancellationToken);
        }
        // Concurrent misses of one read share one round trip (a hot key just invalidated would otherwise be read by
        // every caller that misses it before the first reply is back).
        ReadOnlySpan<byte> key = RequestKey.Slice(request);
        if (_store.InFlight(key, request) is { } pending) return AwaitFill(client, pending, command, cancellationToken);
        var fill = new CacheFill(this, command.Command.Name, request.ToArray(), key.ToArray(), EpochOf(connection), command.Slot,
            _writes.Read(command.Slot), _time.GetTimestamp(), _router.CommandTimeout);
        _store.Register(fill);
        if (connection.Send(command.Command, fill) != SendResult.Sent)
        {
            Abandon(fill);
            return client.SendUncached(command, cancellationToken);
        }
        return AwaitFill(client, fill, command, cancellationToken);
    }

    private static async ValueTask<T> AwaitFill<T>(ClusterClient client, CacheFill fill, CommandDefinition<T> command, CancellationToken cancellationToken)
    {
        byte[]? reply = await fill.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (reply is null) return await client.SendUncached(command, cancellationToken).ConfigureAwait(false);
        return await Parse(reply, command.Parser, command.Command.Name, fill.Epoch.Connection.Endpoint).ConfigureAwait(false);
    }

    private static ValueTask<T> Parse<T>(byte[] reply, ReplyParser<T> parser, string command, NodeEndpoint node)
    {
        try
        {
            var reader = new RespReader(new ReadOnlySequence<byte>(reply));
            reader.Read();
            return new ValueTask<T>(parser(ref reader));
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<T>(RedisUnexpectedReplyException.From(ex, command, node));
        }
    }

    /// <summary>With broadcast tracking, only keys under one of its prefixes get invalidations, so only they are cached.</summary>
    private bool Covered(ReadOnlySpan<byte> key)
    {
        foreach (byte[] prefix in _broadcastPrefixes)
        {
            if (key.StartsWith(prefix)) return true;
        }
        return false;
    }

    /// <summary>A read's reply arrived on the read loop: kept if nothing retired it while it was in flight.</summary>
    internal void OnFilled(CacheFill fill, byte[] reply)
    {
        bool good = fill.Epoch.IsAlive && _writes.Read(fill.Slot) == fill.SlotWrites && OwnsSlot(fill.Epoch, fill.Slot);
        _store.Complete(fill, reply, good);
    }

    /// <summary>A read that will not be stored (error reply, timeout, lost connection): its placeholder goes.</summary>
    internal void Abandon(CacheFill fill) => _store.Complete(fill, null, stillGood: false);

    /// <summary>
    /// This client writes to <paramref name="slot"/> (called when the write is sent and again before its task
    /// completes): entries and in-flight reads of the slot stop counting at once.
    /// </summary>
    public void OnLocalWrite(int slot) => _writes.Bump(slot);

    /// <summary>
    /// As <see cref="OnLocalWrite(int)"/>, but a write of one known key retires only that key's entries and in-flight
    /// reads (as the server's invalidation will), not every cached key of its slot.
    /// </summary>
    public void OnLocalWrite(int slot, in RedisKey key)
    {
        if (key.Text is { } text)
        {
            int length = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
            byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
            Span<byte> bytes = rented ?? stackalloc byte[512];
            _store.Invalidate(bytes[..System.Text.Encoding.UTF8.GetBytes(text, bytes)]);
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
        else if (!key.Bytes.IsEmpty)
        {
            _store.Invalidate(key.Bytes.Span);
        }
        else
        {
            _writes.Bump(slot); // no single key known (several keys, a script, a raw command): the whole slot
        }
    }

    public bool IsValid(CacheEntry entry) =>
        entry.Epoch.IsAlive
        && _writes.Read(entry.Slot) == entry.SlotWrites
        && (_maxAgeTicks == 0 || _time.GetTimestamp() - entry.ReadAt < _maxAgeTicks)
        && OwnsSlot(entry.Epoch, entry.Slot);

    /// <summary>The slot's primary in the current map is still the node the epoch's connection goes to.</summary>
    private bool OwnsSlot(TrackingEpoch epoch, int slot) => _router.PrimaryFor(slot) is { } owner && owner.Endpoint.Equals(epoch.Connection.Endpoint);

    private TrackingEpoch EpochOf(NodeConnection connection)
    {
        if (_epochs.TryGetValue(connection, out TrackingEpoch? epoch)) return epoch;
        lock (_epochSync) return _epochs.GetValue(connection, static c => new TrackingEpoch(c));
    }

    /// <summary>An <c>invalidate</c> push: its keys' entries go and their in-flight reads are poisoned; a null key list (flush) ends the connection's epoch.</summary>
    public void OnPush(NodeConnection connection, ref RespReader reader)
    {
        if (reader.Type != RespType.Push || reader.Length < 2 || !reader.Read() || !reader.ScalarEquals("invalidate"u8)) return;
        reader.Read();
        if (reader.Type == RespType.Null)
        {
            Flush(connection);
            return;
        }
        if (!reader.IsAggregate) return;
        long keys = reader.Length;
        for (long i = 0; i < keys && reader.Read(); i++)
        {
            ReadOnlySpan<byte> key = reader.IsScalarSingleSegment ? reader.ScalarSpan : reader.ScalarSequence.ToArray();
            _store.Invalidate(key);
            Interlocked.Increment(ref _invalidations);
            KeyslotTelemetry.CacheInvalidations.Add(1);
            InvalidationObserved?.Invoke(connection.Endpoint, key, flush: false);
        }
    }

    private void Flush(NodeConnection connection)
    {
        lock (_epochSync)
        {
            if (_epochs.TryGetValue(connection, out TrackingEpoch? old)) old.Flush();
            _epochs.AddOrUpdate(connection, new TrackingEpoch(connection));
        }
        Interlocked.Increment(ref _invalidations);
        KeyslotTelemetry.CacheInvalidations.Add(1);
        InvalidationObserved?.Invoke(connection.Endpoint, default, flush: true);
    }
}
