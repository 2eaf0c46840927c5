using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// A command written to a <see cref="NodeConnection"/> and waiting for its reply. Replies arrive in order, so the
/// connection keeps these in a FIFO and hands each frame to the oldest. A reply that timed out stays queued until its
/// frame arrives (and is dropped), which keeps the connection in step.
/// </summary>
internal abstract class PendingReply
{
    /// <summary>True while a connection's queue holds this reply; it must not be reused until then.</summary>
    public bool InQueue;

    /// <summary>When the command times out, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long Deadline;

    /// <summary>When it was written, in Stopwatch ticks (for the connection's latency measure).</summary>
    public long SentAt;

    /// <summary>The command's name, for error messages (never its arguments).</summary>
    public abstract string CommandName { get; }

    /// <summary>Takes the reply frame. Runs on the read loop: quick, never blocking, never user code.</summary>
    public abstract void OnReply(ref RespReader reader);

    /// <summary>The deadline passed with no reply. <paramref name="inFlight"/> says how many commands were queued on the connection.</summary>
    public abstract void OnTimeout(NodeConnection connection, int inFlight);

    /// <summary>The connection died after this command was written.</summary>
    public abstract void OnConnectionLost(NodeConnection connection, Exception cause);

    /// <summary>
    /// Ends the command with <paramref name="error"/> unless it already completed: a cancellation, or an exception
    /// that taking its reply threw (then only this command fails; the frame was whole, the connection stays in step).
    /// </summary>
    public abstract void Fail(Exception error);
}

/// <summary>
/// A pending reply that also knows how to write its command, so that several can be written in one go
/// (<see cref="NodeConnection.SendMany"/>) without copying the commands anywhere first.
/// </summary>
internal abstract class QueuedCommand : PendingReply
{
    /// <summary>Writes the command this reply answers.</summary>
    public abstract void WriteCommand(System.Buffers.IBufferWriter<byte> writer);
}
