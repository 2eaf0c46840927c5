using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Keyslot.Connections;

/// <summary>
/// Owns the connection to one node: makes it on first use, makes a new one after a failure with exponential backoff
/// and jitter, and coalesces concurrent attempts into one. Callers on the hot path read <see cref="Current"/> without locks.
/// </summary>
internal sealed partial class NodeConnector : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly object _sync = new();
    private NodeConnection? _current;
    private Task<NodeConnection>? _connecting;
    private Exception? _lastError;
    private long _retryAt;
    private int _failures;
    private bool _disposed;

    public NodeConnector(NodeEndpoint endpoint, ConnectionFactory factory, ConnectionRole role = ConnectionRole.Interactive)
    {
        Endpoint = endpoint;
        _factory = factory;
        Role = role;
    }

    /// <summary>What this connector's connections are for.</summary>
    public ConnectionRole Role { get; }

    internal string RoleTag => Role switch
    {
        ConnectionRole.Interactive => "interactive",
        ConnectionRole.ReplicaReads => "replica_reads",
        ConnectionRole.Subscriber => "subscriber",
        ConnectionRole.Tracking => "tracking",
        _ => "blocking",
    };

    /// <summary>True for the connector that serves reads from a replica: its connections send READONLY.</summary>
    public bool ReplicaReads => Role == ConnectionRole.ReplicaReads;

    /// <summary>Given every connection this connector makes, before it reads anything (fixed when the connector is made).</summary>
    public IPushHandler? PushHandler { get; init; }

    public NodeEndpoint Endpoint { get; }

    /// <summary>Raised (on the thread pool) when an established connection is lost.</summary>
    public event Action<NodeConnector, Exception>? ConnectionLost;

    /// <summary>
    /// True when the node failed to connect recently, or has commands waiting and has answered nothing for a second:
    /// dead, hung or overloaded. Used to ask other nodes first for the topology.
    /// </summary>
    public bool IsSuspect
    {
        get
        {
            NodeConnection? current = Volatile.Read(ref _current);
            if (current is null || !current.IsHealthy) return Volatile.Read(ref _lastError) is not null;
            return current.IsSilent(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The node's zone: configured, or as the node reported it in HELLO; null when unknown.</summary>
    public string? AvailabilityZone
    {
        get => ConfiguredZone ?? Volatile.Read(ref _current)?.AvailabilityZone;
    }

    /// <summary>The zone given in the options for this node, if any.</summary>
    public string? ConfiguredZone { get; init; }

    /// <summary>
    /// The reply latency to expect from this node now, in microseconds: the smoothed latency of live traffic, or how
    /// long its oldest pending command has waited if that is longer (a node that just stalled shows it at once).
    /// NaN when nothing was measured yet and nothing is pending; infinity when there is no connection.
    /// </summary>
    public double LatencyMicroseconds
    {
        get
        {
            if (Volatile.Read(ref _current) is not { IsHealthy: true } connection) return double.PositiveInfinity;
            double measured = connection.LatencyMicroseconds;
            double waiting = connection.OldestPendingMicroseconds;
            if (double.IsNaN(measured)) return waiting > 0 ? waiting : double.NaN;
            return Math.Max(measured, waiting);
        }
    }

    private int _waiting; // commands waiting for this node's connection to be made

    /// <summary>Counts one more command waiting for the connection, unless <paramref name="limit"/> are waiting already.</summary>
    public bool TryEnterWaiting(int limit)
    {
        if (Interlocked.Increment(ref _waiting) <= limit) return true;
        Interlocked.Decrement(ref _waiting);
        return false;
    }

    public void ExitWaiting() => Interlocked.Decrement(ref _waiting);

    /// <summary>True while commands wait for this node's connection: a newer command must wait behind them, not overtake them.</summary>
    public bool HasWaiting => Volatile.Read(ref _waiting) > 0;

    /// <summary>Raised (on the thread pool, outside any lock) when a connection attempt ends, made or failed.</summary>
    public event Action? ConnectAttemptEnded;

    /// <summary>
    /// Starts connecting unless a connection exists, an attempt is under way, or the last one failed and its backoff
    /// has not ended (then <paramref name="failure"/> says why). Never waits: the caller parks its command and is told
    /// by <see cref="ConnectAttemptEnded"/>.
    /// </summary>
    public ConnectState EnsureConnecting(out Exception? failure)
    {
        failure = null;
        lock (_sync)
        {
            if (_disposed)
            {
                failure = new ObjectDisposedException(nameof(NodeConnector));
                return ConnectState.Failed;
            }
            if (_current is { IsHealthy: true }) return ConnectState.Connected;
            if (_connecting is not null) return ConnectState.Connecting;
            if (_lastError is not null && Stopwatch.GetTimestamp() < _retryAt)
            {
                failure = _lastError;
                return ConnectState.Failed;
            }
            _connecting = StartAttempt();
        }
        return ConnectState.Connecting;
    }

    /// <summary>Why the last connect attempt failed; null once a connection has been made.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>The healthy connection, or null when there is none yet.</summary>
    public NodeConnection? Current => Volatile.Read(ref _current) is { IsHealthy: true } c ? c : null;

    /// <summary>
    /// Returns the connection, connecting when needed. During backoff after a failure it fails fast with that failure,
    /// so commands for a dead node do not pile up behind connect attempts.
    /// </summary>
    public Task<NodeConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        lock (_sync) // the same lock EnsureConnecting takes: what it decided still holds when the task is picked
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return EnsureConnecting(out Exception? failure) switch
            {
                ConnectState.Connected => Task.FromResult(_current!),
                ConnectState.Connecting => _connecting!.WaitAsync(cancellationToken),
                _ => Task.FromException<NodeConnection>(failure!),
            };
        }
    }

    /// <summary>Starts one attempt; its failure is observed here, since commands that only wait for the announcement never await it.</summary>
    private Task<NodeConnection> StartAttempt()
    {
        Task<NodeConnection> attempt = ConnectCoreAsync();
        attempt.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return attempt;
    }

    /// <summary>One attempt, its outcome recorded, then announced to whoever parked commands for it.</summary>
    private async Task<NodeConnection> ConnectCoreAsync()
    {
        // Callers store the returned task as the attempt under way while holding the lock; an attempt that finished
        // synchronously would clear that field before it is set, and the node would look "connecting" for ever.
        await Task.Yield();
        try
        {
            return await ConnectOnceAsync().ConfigureAwait(false);
        }
        finally
        {
            if (ConnectAttemptEnded is { } ended) ThreadPool.UnsafeQueueUserWorkItem(static e => e(), ended, preferLocal: false);
        }
    }

    private async Task<NodeConnection> ConnectOnceAsync()
    {
        try
        {
            NodeConnection connection = await _factory.ConnectAsync(Endpoint, Role, PushHandler, OnClosed, CancellationToken.None).ConfigureAwait(false);
            lock (_sync)
            {
                _connecting = null;
                if (_disposed)
                {
                    _ = connection.DisposeAsync().AsTask();
                    throw new ObjectDisposedException(nameof(NodeConnector));
                }
                _current = connection;
                _failures = 0;
                _lastError = null;
            }
            KeyslotTelemetry.ConnectionsOpened.Add(1, new KeyValuePair<string, object?>("keyslot.connection.role", RoleTag));
            return connection;
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            lock (_sync)
            {
                _connecting = null;
                _failures++;
                _lastError = ex;
                _retryAt = Stopwatch.GetTimestamp() + (long)(Backoff.Reconnect(_failures).TotalSeconds * Stopwatch.Frequency);
            }
            throw;
        }
    }

    private void OnClosed(NodeConnection connection, Exception cause)
    {
        lock (_sync)
        {
            if (!ReferenceEquals(_current, connection)) return;
            _current = null;
        }
        if (_disposed) return;
        KeyslotTelemetry.ConnectionsLost.Add(1, new KeyValuePair<string, object?>("keyslot.connection.role", RoleTag));
        ConnectionLost?.Invoke(this, cause);
    }

    public async ValueTask DisposeAsync()
    {
        NodeConnection? current;
        NodeConnection[]? retiring;
        lock (_sync)
        {
            if (_disposed) return;
            _disposed = true;
            current = _current;
            _current = null;
            retiring = _retiring.Count == 0 ? null : [.. _retiring];
        }
        if (current is not null) await current.DisposeAsync().ConfigureAwait(false);
        if (retiring is not null) foreach (NodeConnection old in retiring) await old.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Where a node's connection stands for a command that wants to be written.</summary>
internal enum ConnectState : byte
{
    /// <summary>A healthy connection exists.</summary>
    Connected,
    /// <summary>An attempt is under way; its end is announced.</summary>
    Connecting,
    /// <summary>The last attempt failed and its backoff has not ended (or the connector is closed).</summary>
    Failed,
}
