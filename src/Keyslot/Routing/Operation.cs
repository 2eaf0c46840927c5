using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// One routed command from the caller's call to its result: what was sent where, how often it was redirected or
/// retried, and when it must give up. It is itself the <see cref="PendingReply"/> queued on a connection, so following
/// a MOVED or ASK re-queues the same object and costs no allocation. Completion happens once (an atomic flag), by a
/// reply, a timeout, a cancellation or a final failure.
/// </summary>
internal abstract class Operation : QueuedCommand
{
    private int _done;
    protected RespCommand _command;

    /// <summary>The command's hash slot, or <see cref="KeySlot.None"/>.</summary>
    public int Slot;
    public CommandFlags Flags;
    /// <summary>Redirects and retries so far, shared in shape with transactions.</summary>
    public readonly RetryState Retry = new();
    /// <summary>When the whole operation times out, in Stopwatch ticks (redirects do not extend it).</summary>
    public long OperationDeadline;
    /// <summary>Set by an ASK: the next send goes there once, preceded by ASKING.</summary>
    public NodeConnector? AskTarget;
    /// <summary>The node the command went to last (for messages and for redirects with an empty host).</summary>
    public NodeEndpoint LastNode;
    /// <summary>
    /// Set once the operation was within a node's bound (written to its connection, or admitted among the commands
    /// waiting for one): on later attempts it keeps its place, and only new commands are refused when a node is full.
    /// </summary>
    public bool Admitted;
    public CancellationToken Token;
    /// <summary>Where read-only commands may go.</summary>
    public ReadPolicy ReadPolicy;
    /// <summary>Set when a replica could not serve this command: from then on it goes to the primary.</summary>
    public bool ForcePrimary;
    /// <summary>True while the last send went to a replica.</summary>
    public bool SentToReplica;

    // Kept by the WaitingRoom while the operation cannot be written: issue order, when it falls due, and what it waits for.
    /// <summary>When the caller issued the operation (Stopwatch ticks): waiting operations go on in this order.</summary>
    public long CreatedAt;
    /// <summary>Breaks ties of <see cref="CreatedAt"/>: the order in which operations first had to wait (0 before that).</summary>
    public long ParkSequence;
    /// <summary>When a waiting operation falls due again (Stopwatch ticks), unless a signal makes it due sooner.</summary>
    public long RetryAt;
    /// <summary>The waiting room's signal count when the operation was parked: any signal since makes it due.</summary>
    public long ParkedEpoch;
    /// <summary>True while the operation sits in the waiting room.</summary>
    public bool Parked;
    /// <summary>
    /// Set while it waits for a refresh it asked for (READONLY, a redirect to nowhere): other signals (a connection
    /// made, another slot's MOVED) do not make it due, or it would spend its redirect budget before the refresh ends.
    /// </summary>
    public bool WaitsForRefresh;
    /// <summary>The waiting room's count of ended refreshes when the operation was parked.</summary>
    public long ParkedRefreshEpoch;
    /// <summary>The node whose connection the operation waits for, counted against that node's bound.</summary>
    public NodeConnector? WaitingOn;
    /// <summary>The command's span, when something listens to <see cref="KeyslotTelemetry.Source"/>.</summary>
    public System.Diagnostics.Activity? Activity;

    public ref readonly RespCommand Command => ref _command;

    public override string CommandName => _command.Name;

    public override void WriteCommand(System.Buffers.IBufferWriter<byte> writer) => _command.WriteTo(writer);

    public bool IsDone => Volatile.Read(ref _done) != 0;

    public TimeSpan Timeout;

    public override void OnTimeout(NodeConnection connection, int inFlight)
    {
        Fail(new RedisTimeoutException(CommandName, connection.Endpoint, Slot, Timeout, inFlight));
        OnTimedOut(connection);
    }

    /// <summary>Lets the router react to a silent node (a hung primary may be failing over).</summary>
    protected abstract void OnTimedOut(NodeConnection connection);



    protected bool TryComplete() => Interlocked.CompareExchange(ref _done, 1, 0) == 0;

    protected void ResetCompletion() => Volatile.Write(ref _done, 0);

    public void RecordTried(NodeEndpoint node) => Retry.RecordTried(node);

    /// <summary>Why the last retry was needed, for the timeout's message.</summary>
    public string? LastError
    {
        get => Retry.LastError;
        set => Retry.LastError = value;
    }
}
