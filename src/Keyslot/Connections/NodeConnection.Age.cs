using System.Diagnostics;

namespace Keyslot.Connections;

/// <summary>
/// A connection's age (<see cref="ClusterOptions.MaxConnectionAge"/>): when it is due for renewal, and its retirement
/// once a successor serves new commands. A retiring connection refuses new commands as if it were closed (nothing is
/// written, so every caller sends again elsewhere) and is closed by its owner once what it has written is answered.
/// </summary>
internal sealed partial class NodeConnection
{
    private bool _retiring; // read and written under _sync: a command is either written before it or refused

    /// <summary>When (Stopwatch ticks) this connection is due for renewal; <see cref="long.MaxValue"/> for never. Set once, before it is handed out.</summary>
    public long RenewAt { get; set; } = long.MaxValue;

    /// <summary>True once the connection's renewal deadline has passed.</summary>
    public bool IsDueForRenewal(long now) => now >= RenewAt;

    /// <summary>True once <see cref="Retire"/> was called: no new command is written here.</summary>
    public bool IsRetiring => Volatile.Read(ref _retiring);

    /// <summary>
    /// Stops taking commands: from now on every send is refused (<see cref="SendResult.Closed"/>, nothing written);
    /// what was written before goes on to its reply. The owner closes the connection once <see cref="InFlight"/> is 0.
    /// </summary>
    public void Retire()
    {
        lock (_sync) Volatile.Write(ref _retiring, true);
    }

    /// <summary>
    /// Waits (polling; a retiring connection is rare) until every written command is answered, the connection fails,
    /// or <paramref name="timeout"/> passes; true when it drained. Timed-out commands are failed by the sweep meanwhile.
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (!IsHealthy) return false;
            lock (_sync)
            {
                if (_queue.Count == 0) return true;
            }
            if (Stopwatch.GetTimestamp() >= deadline) return false;
            await Task.Delay(10).ConfigureAwait(false);
        }
    }
}
