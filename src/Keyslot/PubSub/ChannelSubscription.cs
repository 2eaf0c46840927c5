using System.Threading.Channels;
using Keyslot.PubSub;
using Microsoft.Extensions.Logging;

namespace Keyslot;

/// <summary>
/// One subscription of the client: its messages, in the order each channel's node sent them, in a bounded buffer
/// that the read loop fills and the application empties (<see cref="Reader"/>, <see cref="ReadAllAsync"/>, or the
/// handler given at subscribe time, which runs on the thread pool, one message at a time, never on the read loop).
/// When the buffer is full a new message is dropped and counted in <see cref="DroppedMessages"/>: a slow consumer
/// loses the newest messages, never blocks the connection and never grows memory without bound. The subscription is
/// kept while the client lives, through reconnects, failovers and slot moves (each resubscription's gap is in
/// <see cref="LastGap"/> and logged); dispose it to unsubscribe.
/// </summary>
public sealed class ChannelSubscription : IAsyncDisposable
{
    private readonly Channel<ChannelMessage> _buffer;
    private readonly PubSubHub _hub;
    private readonly Action<ChannelMessage>? _handler;
    private readonly ILogger _logger;
    private Task? _pump;
    private long _dropped;
    private long _handlerErrors;
    private long _resubscriptions;
    private long _lastGapTicks;
    private int _disposed;
    private int _completed;

    internal ChannelSubscription(PubSubHub hub, SubscriptionKind kind, string name, int capacity, Action<ChannelMessage>? handler, ILogger logger)
    {
        _hub = hub;
        Kind = kind;
        Name = name;
        _handler = handler;
        _logger = logger;
        _buffer = Channel.CreateBounded<ChannelMessage>(new BoundedChannelOptions(capacity)
        {
            SingleReader = handler is not null,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite refuses when full: the read loop never waits, it counts the drop
        });
    }

    /// <summary>What this subscription listens to.</summary>
    public SubscriptionKind Kind { get; }

    /// <summary>The channel, or the pattern for <see cref="SubscriptionKind.Pattern"/> and <see cref="SubscriptionKind.EveryPrimary"/>.</summary>
    public string Name { get; }

    /// <summary>The messages as they arrive; empty and completed for a subscription made with a handler (the handler reads it).</summary>
    public ChannelReader<ChannelMessage> Reader => _handler is null ? _buffer.Reader : Completed;

    /// <summary>Messages dropped because the buffer was full when they arrived.</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped);

    /// <summary>Messages whose handler threw (logged; the subscription goes on).</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <summary>How many times the subscription was made again after it was lost (reconnect, failover, slot move).</summary>
    public long Resubscriptions => Interlocked.Read(ref _resubscriptions);

    /// <summary>How long the last such loss lasted, from the moment the client saw it until the server confirmed the subscription again.</summary>
    public TimeSpan LastGap => TimeSpan.FromTicks(Interlocked.Read(ref _lastGapTicks));

    /// <summary>The messages as an async stream, until the subscription is disposed or <paramref name="cancellationToken"/> is cancelled.</summary>
    public IAsyncEnumerable<ChannelMessage> ReadAllAsync(CancellationToken cancellationToken = default) => Reader.ReadAllAsync(cancellationToken);

    /// <summary>Unsubscribes (the server-side subscription ends when no other subscription of the client needs it) and ends <see cref="Reader"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _hub.Remove(this);
        Complete();
        if (_pump is not null) await _pump.ConfigureAwait(false);
    }

    /// <summary>Takes one message on a read loop: never waits; a full buffer drops it.</summary>
    internal void Deliver(in ChannelMessage message)
    {
        if (!_buffer.Writer.TryWrite(message) && Volatile.Read(ref _completed) == 0) Interlocked.Increment(ref _dropped);
    }

    /// <summary>Ends the buffer (disposed, or the client closing): later messages are not drops, there is nobody to drop them for.</summary>
    internal void Complete()
    {
        Volatile.Write(ref _completed, 1);
        _buffer.Writer.TryComplete();
    }

    internal void Restored(TimeSpan gap)
    {
        Interlocked.Increment(ref _resubscriptions);
        Interlocked.Exchange(ref _lastGapTicks, gap.Ticks);
    }

    /// <summary>Starts the handler's loop (once the subscription is confirmed).</summary>
    internal void StartHandler()
    {
        if (_handler is not null && _pump is null) _pump = Task.Run(PumpAsync);
    }

    private async Task PumpAsync()
    {
        await foreach (ChannelMessage message in _buffer.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                _handler!(message);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _handlerErrors);
                Log.SubscriptionHandlerFailed(_logger, Kind, Name, ex);
            }
        }
    }

    private static readonly ChannelReader<ChannelMessage> Completed = CreateCompleted();

    private static ChannelReader<ChannelMessage> CreateCompleted()
    {
        var channel = Channel.CreateUnbounded<ChannelMessage>();
        channel.Writer.Complete();
        return channel.Reader;
    }
}
