using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Keyslot.Protocol;
using Microsoft.Extensions.Logging;

namespace Keyslot.Connections;

/// <summary>
/// One pipelined connection to one node, shared by every caller. Writers encode their command into the output pipe
/// under a short per-connection lock (no thread waits for a reply); a single read loop scans complete frames and hands
/// each to the oldest <see cref="PendingReply"/>. A connection never reconnects itself: when it fails it fails every
/// queued reply and reports to its owner, which makes a new one.
/// </summary>
internal sealed partial class NodeConnection : IAsyncDisposable
{
    private static readonly RespCommand Asking = RespCommand.Create("ASKING");

    private readonly IDuplexPipe _pipe;
    private readonly object _sync = new();
    private readonly ReplyQueue _queue = new();
    private readonly RespLimits _limits;
    private readonly int _maxPending;
    private readonly ILogger _logger;
    private Exception? _fault;
    private Task _readLoop = Task.CompletedTask;

    public NodeConnection(NodeEndpoint endpoint, IDuplexPipe pipe, ConnectionSettings settings, ILogger logger, ConnectionRole role = ConnectionRole.Interactive)
    {
        Endpoint = endpoint;
        Role = role;
        _pipe = pipe;
        _limits = settings.Limits;
        _maxPending = settings.MaxPendingCommands;
        CommandTimeout = settings.CommandTimeout;
        _logger = logger;
    }

    public NodeEndpoint Endpoint { get; }

    /// <summary>Told (on the thread pool) once, when the connection fails or closes.</summary>
    public Action<NodeConnection, Exception>? OnClosed { get; set; }

    public TimeSpan CommandTimeout { get; }

    /// <summary>What this connection is for.</summary>
    public ConnectionRole Role { get; }

    /// <summary>What the handshake settled and learnt (set once, before the connection is handed out).</summary>
    public HandshakeResult Session { get; internal set; } = HandshakeResult.None;

    /// <summary>The protocol the handshake settled on (2 or 3).</summary>
    public int ProtocolVersion => Session.ProtocolVersion;

    /// <summary>False once the connection has failed or been closed.</summary>
    public bool IsHealthy => Volatile.Read(ref _fault) is null;

    /// <summary>How many commands may await replies at once before new ones are refused.</summary>
    public int MaxPendingCommands => _maxPending;

    /// <summary>Commands written and still awaiting replies.</summary>
    public int InFlight => _queue.Count;

    private long _lastActivity = Stopwatch.GetTimestamp();

    /// <summary>How long the oldest command still awaiting its reply has waited (zero when none waits), in microseconds.</summary>
    public double OldestPendingMicroseconds
    {
        get
        {
            long sentAt = _queue.PeekSentAt(); // read without the lock: a heuristic may see a slightly stale head
            return sentAt == 0 ? 0 : Stopwatch.GetElapsedTime(sentAt).TotalMicroseconds;
        }
    }

    /// <summary>True when commands await replies and nothing has arrived for <paramref name="quiet"/>.</summary>
    public bool IsSilent(TimeSpan quiet) =>
        InFlight > 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastActivity)) > quiet;

    public void StartReading() => _readLoop = BackgroundWork.Run(ReadLoopAsync);

    /// <summary>
    /// Writes <paramref name="command"/> and queues <paramref name="reply"/> for its answer. With <paramref name="asking"/>
    /// an <c>ASKING</c> goes first in the same write, so nothing from other callers can come between them.
    /// </summary>
    public SendResult Send(in RespCommand command, PendingReply reply, bool asking = false) =>
        SendCore(new OneCommand(command, reply, asking), asking ? 2 : 1, bounded: true);

    /// <summary>
    /// Writes a command that must not be refused for a full queue: the UNWATCH that ends an abandoned transaction's
    /// watch, without which the connection's next transaction could fail for keys it never watched. One reply beyond
    /// the bound cannot grow memory without limit.
    /// </summary>
    public SendResult SendBeyondLimit(in RespCommand command, PendingReply reply) =>
        SendCore(new OneCommand(command, reply, false), 1, bounded: false);

    /// <summary>
    /// Writes several commands in one go (one lock hold, one flush) and queues their replies in the same order: a
    /// batch's commands for this node. Other callers' commands may come before or after, never in between.
    /// </summary>
    public SendResult SendMany(List<QueuedCommand> commands) => SendCore(new ManyCommands(commands), commands.Count, bounded: true);

    /// <summary>
    /// Writes a (un)subscribe command on a subscriber connection with no reply queued: it is answered by pushes when it
    /// succeeds and by an error reply when it does not, and both go to the push handler, which keeps the commands it
    /// sent in order to tell which is which.
    /// </summary>
    public SendResult SendUntracked(in RespCommand command)
    {
        if (Role != ConnectionRole.Subscriber || PushHandler is null) throw new InvalidOperationException("Only a subscriber connection with a push handler sends untracked commands.");
        return SendCore(new UntrackedCommand(command), 0, bounded: false);
    }

    /// <summary>
    /// The one road onto the wire: under the connection's lock, refuse when closed or full, write, queue the replies
    /// in write order, flush. Generic over a struct so that the single-command hot path allocates nothing.
    /// </summary>
    private SendResult SendCore<TWrite>(TWrite write, int replies, bool bounded) where TWrite : struct, IWriteCommands
    {
        ValueTask<FlushResult> flush;
        lock (_sync)
        {
            if (_fault is not null || _retiring) return SendResult.Closed;
            if (bounded && _queue.Count + replies > _maxPending) return SendResult.QueueFull;
            PipeWriter output = _pipe.Output;
            int queuedBefore = _queue.Count;
            long now = Stopwatch.GetTimestamp();
            if (queuedBefore == 0) Volatile.Write(ref _lastActivity, now);
            try
            {
                write.WriteAndQueue(output, _queue, now);
            }
            catch (Exception ex)
            {
                // Whatever failed, part of a command may now sit in the output: the connection is out of step and is
                // closed. Nothing of this call was flushed, so its replies are taken back and the output is closed
                // with the error, which keeps its bytes (and any not yet sent) off the wire: Closed then means that
                // none of it can reach the server, and the caller may send all of it again. A caller's bad argument
                // is still the caller's error (commands validate their arguments when made: a last line of defence).
                _queue.RemoveNewest(_queue.Count - queuedBefore);
                output.Complete(ex);
                FaultLocked(ex);
                if (ex is ArgumentException) throw;
                return SendResult.Closed;
            }
            try
            {
                // The output pipe never pauses writers (its threshold is off; the queue bound above limits memory),
                // so this completes at once: it only wakes the socket's send loop, which batches all that is buffered.
                flush = output.FlushAsync();
            }
            catch (Exception ex)
            {
                // The commands may have gone out: their replies stay queued, and the fault fails them as lost.
                FaultLocked(ex);
                return SendResult.Sent;
            }
        }
        if (!flush.IsCompletedSuccessfully) ObserveFlush(flush);
        return SendResult.Sent;
    }

    private interface IWriteCommands
    {
        void WriteAndQueue(PipeWriter output, ReplyQueue queue, long now);
    }

    private readonly struct OneCommand(RespCommand command, PendingReply reply, bool asking) : IWriteCommands
    {
        public void WriteAndQueue(PipeWriter output, ReplyQueue queue, long now)
        {
            if (asking)
            {
                Asking.WriteTo(output);
                queue.Enqueue(DiscardedReply.Instance);
            }
            command.WriteTo(output);
            Queue(queue, reply, now);
        }
    }

    /// <summary>A subscriber connection's (un)subscribe command: what answers it goes to the push handler, which tracks it.</summary>
    private readonly struct UntrackedCommand(RespCommand command) : IWriteCommands
    {
        public void WriteAndQueue(PipeWriter output, ReplyQueue queue, long now) => command.WriteTo(output);
    }

    private readonly struct ManyCommands(List<QueuedCommand> commands) : IWriteCommands
    {
        public void WriteAndQueue(PipeWriter output, ReplyQueue queue, long now)
        {
            foreach (QueuedCommand command in commands)
            {
                command.WriteCommand(output);
                Queue(queue, command, now);
            }
        }
    }

    private static void Queue(ReplyQueue queue, PendingReply reply, long now)
    {
        reply.SentAt = now;
        reply.InQueue = true;
        queue.Enqueue(reply);
    }

    /// <summary>Sends a command that expects no routing: the reply (or error) comes back as a task.</summary>
    public Task<T> SendDirectAsync<T>(in RespCommand command, ReplyParser<T> parser, CancellationToken cancellationToken = default)
    {
        TrySendDirect(command, parser, cancellationToken, out Task<T> reply, failWhenRetiring: true);
        return reply;
    }

    /// <summary>
    /// As <see cref="SendDirectAsync{T}"/>, but false (and nothing written) when the connection is retiring, so that
    /// the caller can send on its successor instead (<see cref="NodeConnector.SendDirectAsync{T}"/>).
    /// </summary>
    public bool TrySendDirect<T>(in RespCommand command, ReplyParser<T> parser, CancellationToken cancellationToken, out Task<T> task, bool failWhenRetiring = false)
    {
        var reply = new DirectReply<T>(command.Name, parser, CommandTimeout) { Node = Endpoint };
        task = reply.Task;
        switch (Send(command, reply))
        {
            case SendResult.Closed when !failWhenRetiring && IsRetiring && IsHealthy:
                return false;
            case SendResult.Closed:
                reply.Fail(new RedisConnectionException($"The connection to {Endpoint} is closed.", Endpoint, false, _fault));
                break;
            case SendResult.QueueFull:
                reply.Fail(new RedisQueueFullException(Endpoint, _maxPending));
                break;
        }
        reply.CancelWith(cancellationToken);
        return true;
    }

    /// <summary>Fails every queued command whose deadline has passed (called by the client's timeout sweep).</summary>
    public void SweepTimeouts(long now, List<PendingReply> scratch)
    {
        int inFlight;
        lock (_sync)
        {
            inFlight = _queue.Count;
            _queue.CollectExpired(now, scratch);
        }
        foreach (PendingReply reply in scratch)
        {
            reply.OnTimeout(this, inFlight);
        }
        scratch.Clear();
        if (IsStuckInReply(now))
        {
            // Every later reply is stuck behind the partial one: a fresh connection serves the next commands, and
            // what was in flight here fails (writes as "may have been applied") or, for reads, goes again.
            Abort(new RedisConnectionException(
                $"{Endpoint} stopped sending in the middle of a reply for longer than the command timeout; the connection was replaced.", Endpoint));
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            PipeReader input = _pipe.Input;
            var scan = new RespScanState();
            while (true)
            {
                ReadResult result = await input.ReadAsync().ConfigureAwait(false);
                Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
                ReadOnlySequence<byte> buffer = result.Buffer;
                DispatchFrames(ref buffer, ref scan);
                Volatile.Write(ref _partialFrame, !buffer.IsEmpty);
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (!buffer.IsEmpty) throw new RespProtocolException(0, $"The connection closed in the middle of a reply ({buffer.Length} bytes unparsed).");
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        Fault(error ?? new EndOfStreamException($"{Endpoint} closed the connection."));
    }

    private double _latencyTicks = double.NaN;

    /// <summary>
    /// Smoothed time from write to reply on this connection (exponential moving average over live traffic, in
    /// microseconds); NaN until the first reply. Includes queueing behind other commands: what a caller would see.
    /// </summary>
    public double LatencyMicroseconds => Volatile.Read(ref _latencyTicks) * 1_000_000.0 / Stopwatch.Frequency;

    /// <summary>
    /// Held by a transaction from writing its WATCH until its EXEC (or UNWATCH) is written. WATCH state belongs to the
    /// connection, so another transaction's EXEC written in between would silently drop it; other commands may pass.
    /// </summary>
    public SemaphoreSlim TransactionGate { get; } = new(1, 1);

    /// <summary>True when READONLY was accepted: the connection can serve reads if the node is a replica.</summary>
    public bool ServesReplicaReads => Session.ServesReplicaReads;

    /// <summary>The node's availability zone, when its HELLO reply says (Valkey 8+).</summary>
    public string? AvailabilityZone => Session.AvailabilityZone;

    private void RecordLatency(long sentAt, long now)
    {
        if (sentAt == 0) return;
        double sample = now - sentAt;
        double current = _latencyTicks;
        _latencyTicks = double.IsNaN(current) ? sample : current + (sample - current) * 0.1;
    }

    private const int FramesPerPass = 64;
    private readonly ReplySlot[] _taken = new ReplySlot[FramesPerPass]; // the read loop's own

    /// <summary>
    /// Hands each complete frame in <paramref name="buffer"/> to the oldest pending reply; leaves a partial frame. Up to
    /// 64 frames at a time are found first and their replies taken from the queue in one hold of the lock: the writers
    /// on the other cores take that lock for every command, and once per reply as well made its cache line move
    /// between the cores twice per command.
    /// </summary>
    private void DispatchFrames(ref ReadOnlySequence<byte> buffer, ref RespScanState scan)
    {
        long now = Stopwatch.GetTimestamp();
        Span<long> lengths = stackalloc long[FramesPerPass]; // negative: a push
        int frames;
        do
        {
            frames = 0;
            int answers = 0;
            ReadOnlySequence<byte> rest = buffer;
            while (frames < FramesPerPass && !rest.IsEmpty && RespFrameScanner.TryScan(ref scan, rest, _limits, out long length))
            {
                bool push = IsPush(rest.Slice(0, length));
                lengths[frames++] = push ? -length : length;
                if (!push) answers++;
                rest = rest.Slice(length);
                scan.Reset();
            }
            int taken = 0;
            if (answers > 0)
            {
                lock (_sync)
                {
                    while (taken < answers && _queue.Dequeue() is { } reply) _taken[taken++].Reply = reply;
                }
            }
            int handed = 0;
            try
            {
                for (int i = 0; i < frames; i++)
                {
                    ReadOnlySequence<byte> frame = buffer.Slice(0, Math.Abs(lengths[i]));
                    buffer = buffer.Slice(frame.End);
                    if (lengths[i] < 0)
                    {
                        DeliverPush(frame); // out of band, not the answer to a command
                        continue;
                    }
                    if (handed == taken)
                    {
                        if (Role == ConnectionRole.Subscriber && PushHandler is not null)
                        {
                            DeliverPush(frame); // the answer to an untracked (un)subscribe: an error reply
                            continue;
                        }
                        throw new RespProtocolException(0, $"{Endpoint} sent a reply no command was waiting for; the connection is out of step.");
                    }
                    PendingReply reply = _taken[handed].Reply!;
                    _taken[handed++].Reply = null;
                    Answer(reply, frame, now);
                }
            }
            finally
            {
                // Only when something above threw: what was taken and not answered goes back, for the fault to fail.
                if (handed < taken) ReturnUnanswered(handed, taken);
            }
        }
        while (frames == FramesPerPass);
    }

    private void Answer(PendingReply reply, in ReadOnlySequence<byte> frame, long now)
    {
        reply.InQueue = false;
        RecordLatency(reply.SentAt, now);
        var reader = new RespReader(frame);
        reader.Read();
        try
        {
            reply.OnReply(ref reader);
        }
        catch (Exception ex)
        {
            // Whatever taking this reply threw (a redirect that names no usable node, a handler's bug), it fails
            // this command only: the frame was whole, so the connection and every other command stay in step.
            reply.Fail(ex as RedisException ?? new RedisException($"{Endpoint}'s reply to {reply.CommandName} could not be handled: {ex.Message}", ex));
        }
    }

    private void ReturnUnanswered(int from, int to)
    {
        lock (_sync)
        {
            for (int i = to - 1; i >= from; i--)
            {
                _queue.PushFront(_taken[i].Reply!);
                _taken[i].Reply = null;
            }
        }
    }

    private bool _partialFrame; // part of a frame is buffered, waiting for the rest

    /// <summary>
    /// True when the oldest command has waited longer than the command timeout while part of its reply sits in the
    /// buffer and nothing more has arrived for a while (half the timeout, at most a second): the node stopped in the
    /// middle of a reply with its socket open, and nothing later can be read past it. A node still sending a large
    /// reply slowly is not stuck.
    /// </summary>
    private bool IsStuckInReply(long now)
    {
        if (!Volatile.Read(ref _partialFrame)) return false;
        long timeout = (long)(CommandTimeout.TotalSeconds * Stopwatch.Frequency);
        long sentAt = _queue.PeekSentAt();
        long quiet = Math.Min(timeout / 2, Stopwatch.Frequency);
        return sentAt != 0 && now - sentAt > timeout && now - Volatile.Read(ref _lastActivity) > quiet;
    }

    private void Fault(Exception error)
    {
        List<PendingReply> orphans;
        lock (_sync)
        {
            if (_fault is not null && _queue.Count == 0) return;
            FaultLocked(error);
            orphans = _queue.DrainAll();
        }
        foreach (PendingReply reply in orphans)
        {
            reply.InQueue = false;
            reply.OnConnectionLost(this, error);
        }
    }

    private void FaultLocked(Exception error)
    {
        if (_fault is not null) return;
        Volatile.Write(ref _fault, error);
        if (error is ObjectDisposedException) Log.ConnectionClosed(_logger, Endpoint);
        else Log.ConnectionLost(_logger, Endpoint, error.Message, error);
        try
        {
            _pipe.Output.Complete();
            _pipe.Input.CancelPendingRead();
        }
        catch (InvalidOperationException)
        {
            // The pipe is already completed by its other side: nothing more to close.
        }
        // Tell the owner outside any lock it might take, and off this thread.
        if (OnClosed is { } onClosed) ThreadPool.UnsafeQueueUserWorkItem(static s => s.onClosed(s.self, s.error), (onClosed, self: this, error), preferLocal: false);
    }

    private void ObserveFlush(ValueTask<FlushResult> flush) => _ = ObserveFlushAsync(flush);

    private async Task ObserveFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fault(ex);
        }
    }

    /// <summary>Closes the connection now, failing what it still awaits with <paramref name="reason"/>.</summary>
    public void Abort(Exception reason) => Fault(reason);

    /// <summary>
    /// Takes the commands <paramref name="match"/> selects away from this connection (their replies, if they ever come,
    /// are dropped) so they can be sent elsewhere: reads stuck on a hung node that lost its role.
    /// </summary>
    public List<PendingReply> Detach(Func<PendingReply, bool> match)
    {
        var detached = new List<PendingReply>();
        lock (_sync)
        {
            _queue.DetachWhere(match, DiscardedReply.Instance, detached);
        }
        foreach (PendingReply reply in detached) reply.InQueue = false;
        return detached;
    }

    public async ValueTask DisposeAsync()
    {
        Fault(new ObjectDisposedException(nameof(NodeConnection), $"The connection to {Endpoint} was closed by the client."));
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        finally
        {
            (_pipe as IDisposable)?.Dispose();
        }
    }
}
