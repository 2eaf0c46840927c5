using System.Diagnostics;
using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// Renewal at the maximum connection age (<see cref="ClusterOptions.MaxConnectionAge"/>): the successor is made while
/// the old connection still serves, becomes <see cref="Current"/> in one step, and the old one retires: it refuses new
/// commands (nothing written, so they go to the successor), finishes what it has written, and is closed. A server that
/// later cuts the old connection (ElastiCache at 12 hours) finds nothing on it to fail.
/// </summary>
internal sealed partial class NodeConnector
{
    private readonly List<NodeConnection> _retiring = []; // under _sync: old connections still finishing their replies
    private int _retiringCount;
    private bool _renewing;
    private long _renewRetryAt;
    private int _renewFailures;

    /// <summary>
    /// Starts renewing the current connection when it is due and no renewal runs (called by the timeout sweep, every
    /// 100 ms, for the roles whose connections are shared and pipelined: interactive and replica reads).
    /// </summary>
    public void RenewIfDue(long now)
    {
        if (Volatile.Read(ref _current) is not { IsHealthy: true } current || !current.IsDueForRenewal(now)) return;
        lock (_sync)
        {
            if (_renewing || _disposed || now < _renewRetryAt || !ReferenceEquals(_current, current)) return;
            _renewing = true;
        }
        _ = RenewAsync(current);
    }

    private async Task RenewAsync(NodeConnection old)
    {
        try
        {
            if (await ReplaceAsync(old).ConfigureAwait(false) is not null) await RetireAsync(old).ConfigureAwait(false);
        }
        finally
        {
            lock (_sync) _renewing = false;
        }
    }

    /// <summary>
    /// Makes the successor of <paramref name="old"/> (same role and push handler, full handshake with the current
    /// credential) and makes it current; <paramref name="old"/> is kept open, for its owner to retire. Null when no
    /// successor could be made (the old connection goes on, and renewal is tried again after a backoff) or
    /// <paramref name="old"/> is no longer current.
    /// </summary>
    public async Task<NodeConnection?> ReplaceAsync(NodeConnection old)
    {
        NodeConnection fresh;
        try
        {
            fresh = await _factory.ConnectAsync(Endpoint, Role, PushHandler, OnClosed, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or IOException or OperationCanceledException)
        {
            int failures;
            lock (_sync)
            {
                failures = ++_renewFailures;
                _renewRetryAt = Stopwatch.GetTimestamp() + (long)(Backoff.Reconnect(failures).TotalSeconds * Stopwatch.Frequency);
            }
            Log.ConnectionRenewalFailed(_factory.Logger, Role, Endpoint, failures, ex.Message);
            return null;
        }
        lock (_sync)
        {
            if (!_disposed && ReferenceEquals(_current, old) && old.IsHealthy)
            {
                _current = fresh;
                _renewFailures = 0;
                _retiring.Add(old);
                _retiringCount = _retiring.Count;
                KeyslotTelemetry.ConnectionsOpened.Add(1, new KeyValuePair<string, object?>("keyslot.connection.role", RoleTag));
                KeyslotTelemetry.ConnectionsRenewed.Add(1, new KeyValuePair<string, object?>("keyslot.connection.role", RoleTag));
                return fresh;
            }
        }
        // Closed, lost or replaced meanwhile: the successor is not needed (a lost one was already reconnected).
        await fresh.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Retires a replaced connection: a transaction between its WATCH and EXEC finishes first (WATCH state lives on
    /// the connection), then no new command is written there, what was written is answered (bounded by the command
    /// timeout, whose sweep fails what stays unanswered) and the connection is closed.
    /// </summary>
    public async Task RetireAsync(NodeConnection old)
    {
        long started = Stopwatch.GetTimestamp();
        TimeSpan bound = old.CommandTimeout;
        bool gate = await old.TransactionGate.WaitAsync(bound).ConfigureAwait(false);
        old.Retire();
        if (gate) old.TransactionGate.Release(); // a transaction that takes it now finds the connection refusing, and goes again
        bool drained = await old.DrainAsync(bound).ConfigureAwait(false);
        await CloseReplacedAsync(old).ConfigureAwait(false);
        Log.ConnectionRenewed(_factory.Logger, Role, Endpoint, drained ? "all" : "not all", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Closes a connection <see cref="ReplaceAsync"/> replaced, once its owner is done with it.</summary>
    public async Task CloseReplacedAsync(NodeConnection old)
    {
        await old.DisposeAsync().ConfigureAwait(false);
        lock (_sync)
        {
            _retiring.Remove(old);
            _retiringCount = _retiring.Count;
        }
    }

    /// <summary>True while a failed renewal waits out its backoff.</summary>
    public bool RenewalBackedOff(long now)
    {
        lock (_sync) return now < _renewRetryAt;
    }

    /// <summary>Sweeps the timeouts of connections still finishing their replies (not <see cref="Current"/>, so not swept with it).</summary>
    public void SweepRetiring(long now, List<PendingReply> scratch)
    {
        if (Volatile.Read(ref _retiringCount) == 0) return;
        NodeConnection[] retiring;
        lock (_sync) retiring = [.. _retiring];
        foreach (NodeConnection connection in retiring) connection.SweepTimeouts(now, scratch);
    }

    /// <summary>
    /// For a connection used by one command at a time (blocking), between commands: when it is due for renewal it is
    /// closed, and the next command makes a new one. One still awaiting a reply is left alone.
    /// </summary>
    public void CloseIfDueForRenewal(long now)
    {
        NodeConnection? due;
        lock (_sync)
        {
            due = _current;
            if (due is null || !due.IsDueForRenewal(now) || due.InFlight > 0) return;
            _current = null; // not a loss: OnClosed finds it is no longer current
        }
        KeyslotTelemetry.ConnectionsRenewed.Add(1, new KeyValuePair<string, object?>("keyslot.connection.role", RoleTag));
        Log.IdleConnectionRenewed(_factory.Logger, Role, Endpoint);
        _ = due.DisposeAsync().AsTask();
    }

    /// <summary>
    /// Sends a command with no routing on the current connection (connecting when needed), and again on the successor
    /// when the connection retired between being picked and the write (nothing was written on it).
    /// </summary>
    public async Task<T> SendDirectAsync<T>(RespCommand command, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        while (true)
        {
            NodeConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (connection.TrySendDirect(command, parser, cancellationToken, out Task<T> reply)) return await reply.ConfigureAwait(false);
        }
    }
}
