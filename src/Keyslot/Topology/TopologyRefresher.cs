using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Keyslot.Topology;

/// <summary>
/// Keeps the slot map current without storms: every request for a refresh (a MOVED, a lost connection, the periodic
/// timer) joins the one in flight or starts one no sooner than the minimum interval after the last. A refresh asks a
/// few known nodes in turn and, when they all fail, the configuration endpoints by name (resolved again, since managed
/// services replace node addresses). An answer equal to the current map changes nothing.
/// </summary>
internal sealed class TopologyRefresher : IAsyncDisposable
{
    /// <summary>How many known nodes one refresh asks before the configuration endpoints.</summary>
    private const int NodesPerRefresh = 3;

    private readonly Func<NodeEndpoint, CancellationToken, Task<SlotMap>> _fetch;
    private readonly Func<SlotMap> _current;
    private readonly Action<SlotMap, string> _apply;
    private readonly Func<NodeEndpoint, bool> _isSuspect;
    private readonly IReadOnlyList<NodeEndpoint> _seeds;
    private readonly TimeSpan _minInterval;
    private readonly TimeSpan _attemptTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _sync = new();
    private Task? _inFlight;
    private long _lastStarted;
    private Task _periodic = Task.CompletedTask;

    public TopologyRefresher(
        Func<NodeEndpoint, CancellationToken, Task<SlotMap>> fetch,
        Func<SlotMap> current,
        Action<SlotMap, string> apply,
        Func<NodeEndpoint, bool> isSuspect,
        IReadOnlyList<NodeEndpoint> seeds,
        TimeSpan minInterval,
        TimeSpan attemptTimeout,
        ILogger logger)
    {
        _fetch = fetch;
        _current = current;
        _apply = apply;
        _isSuspect = isSuspect;
        _seeds = seeds;
        _minInterval = minInterval;
        _attemptTimeout = attemptTimeout;
        _logger = logger;
    }

    /// <summary>Number of refreshes that actually queried the cluster (for tests and metrics).</summary>
    public int RefreshCount => Volatile.Read(ref _refreshCount);
    private int _refreshCount;

    /// <summary>Starts the periodic refresh (interval jittered ±10% so clients spread their load).</summary>
    public void StartPeriodic(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) return;
        _periodic = BackgroundWork.Run(async () =>
        {
            while (!_stopping.IsCancellationRequested)
            {
                TimeSpan wait = interval * (0.9 + Random.Shared.NextDouble() * 0.2);
                try
                {
                    await Task.Delay(wait, _stopping.Token).ConfigureAwait(false);
                    await RequestAsync("periodic").ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception ex)
                {
                    Log.TopologyRefreshFailed(_logger, "periodic", ex);
                }
            }
        });
    }

    /// <summary>Why the last refresh failed, until one succeeds (for the errors of commands that found no owner).</summary>
    public Exception? LastFailure => Volatile.Read(ref _lastFailure);

    private Exception? _lastFailure;

    /// <summary>Asks for a refresh; joins the one in flight, or starts one after the rate limit allows.</summary>
    public Task RequestAsync(string reason)
    {
        lock (_sync)
        {
            if (_inFlight is { IsCompleted: false } running) return running;
            long now = Stopwatch.GetTimestamp();
            TimeSpan sinceLast = Stopwatch.GetElapsedTime(_lastStarted, now);
            TimeSpan delay = _lastStarted == 0 || sinceLast >= _minInterval ? TimeSpan.Zero : _minInterval - sinceLast;
            _lastStarted = now + (long)(delay.TotalSeconds * Stopwatch.Frequency);
            _inFlight = RefreshAsync(reason, delay);
            return _inFlight;
        }
    }

    /// <summary>How long without another settling request before the settled refresh starts.</summary>
    internal static readonly TimeSpan SettleQuiet = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest a settled refresh waits while requests keep coming (a long migration).</summary>
    internal static readonly TimeSpan SettleLongest = TimeSpan.FromSeconds(5);

    private bool _settling;
    private long _firstUnsettled;
    private long _lastUnsettled;

    /// <summary>
    /// Asks for a refresh that may wait: the map is already right enough (a MOVED fixed its slot), so the refresh
    /// starts once these requests have stopped for <see cref="SettleQuiet"/>, or <see cref="SettleLongest"/> after the
    /// first of them if they go on. Many requests cost one refresh; an ordinary request in the meantime is not delayed.
    /// </summary>
    public void RequestWhenSettled(string reason)
    {
        if (_stopping.IsCancellationRequested) return; // a late MOVED while the client is being disposed
        long now = Stopwatch.GetTimestamp();
        lock (_sync)
        {
            _lastUnsettled = now;
            if (_settling) return;
            _settling = true;
            _firstUnsettled = now;
        }
        _ = BackgroundWork.Run(() => SettleThenRefreshAsync(reason));
    }

    private async Task SettleThenRefreshAsync(string reason)
    {
        TimeSpan wait = SettleQuiet;
        while (true)
        {
            // Stopping cancels before it disposes, so this check also keeps the disposed token source untouched.
            if (_stopping.IsCancellationRequested) return;
            try
            {
                await Task.Delay(wait, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            lock (_sync)
            {
                long now = Stopwatch.GetTimestamp();
                TimeSpan quietFor = Stopwatch.GetElapsedTime(_lastUnsettled, now);
                TimeSpan waitedFor = Stopwatch.GetElapsedTime(_firstUnsettled, now);
                if (quietFor < SettleQuiet && waitedFor < SettleLongest)
                {
                    TimeSpan untilQuiet = SettleQuiet - quietFor, untilLongest = SettleLongest - waitedFor;
                    wait = untilQuiet < untilLongest ? untilQuiet : untilLongest;
                    continue;
                }
                _settling = false; // a request from here on opens a new window
            }
            if (_stopping.IsCancellationRequested) return;
            Request(reason);
            return;
        }
    }

    /// <summary>Fire-and-forget form for the hot path: failures are logged, never thrown at a caller.</summary>
    public void Request(string reason) => _ = RequestAsync(reason).ContinueWith(
        static (t, s) => Log.TopologyRefreshFailed(((TopologyRefresher)s!)._logger, "background", t.Exception!.GetBaseException()),
        this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task RefreshAsync(string reason, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero) await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
        Interlocked.Increment(ref _refreshCount);
        SlotMap current = _current();
        Exception? last = null;
        foreach (NodeEndpoint source in Candidates(current))
        {
            _stopping.Token.ThrowIfCancellationRequested();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(_attemptTimeout);
                SlotMap fresh = await _fetch(source, timeout.Token).ConfigureAwait(false);
                if (fresh.AssignedSlots == 0) throw new RedisException($"{source} reports no assigned slots.");
                Volatile.Write(ref _lastFailure, null);
                if (fresh.SameAs(current))
                {
                    Log.TopologyUnchanged(_logger, reason, source);
                    KeyslotTelemetry.TopologyRefreshes.Add(1, new KeyValuePair<string, object?>("keyslot.refresh.outcome", "unchanged"));
                    return;
                }
                _apply(fresh, reason);
                KeyslotTelemetry.TopologyRefreshes.Add(1, new KeyValuePair<string, object?>("keyslot.refresh.outcome", "changed"));
                return;
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                last = ex;
                Log.TopologySourceFailed(_logger, source, ex.Message, ex);
            }
        }
        KeyslotTelemetry.TopologyRefreshes.Add(1, new KeyValuePair<string, object?>("keyslot.refresh.outcome", "failed"));
        var failure = new RedisConnectionException($"No node could provide the cluster topology ({reason}): {last?.Message}", _seeds[0], false, last);
        Volatile.Write(ref _lastFailure, failure);
        throw failure;
    }

    /// <summary>
    /// A few known primaries (random order, so clients do not all ask the same node; nodes that look dead or hung
    /// last, so a failover is seen quickly), then the configuration endpoints.
    /// </summary>
    private List<NodeEndpoint> Candidates(SlotMap current)
    {
        var candidates = new List<NodeEndpoint>(NodesPerRefresh + _seeds.Count);
        var suspects = new List<NodeEndpoint>();
        int count = current.Shards.Count;
        if (count > 0)
        {
            int offset = Random.Shared.Next(count);
            for (int i = 0; i < count && candidates.Count < NodesPerRefresh; i++)
            {
                ClusterShard shard = current.Shards[(offset + i) % count];
                if (shard.Primary.IsFailed) continue;
                if (_isSuspect(shard.Primary.Endpoint)) suspects.Add(shard.Primary.Endpoint);
                else candidates.Add(shard.Primary.Endpoint);
            }
            if (candidates.Count == 0)
            {
                // Every primary we know looks unhealthy: replicas know the topology too.
                foreach (ClusterShard shard in current.Shards)
                {
                    foreach (ClusterNodeInfo replica in shard.Replicas)
                    {
                        if (candidates.Count < NodesPerRefresh && !replica.IsFailed && !_isSuspect(replica.Endpoint)) candidates.Add(replica.Endpoint);
                    }
                }
            }
        }
        foreach (NodeEndpoint suspect in suspects)
        {
            if (candidates.Count < NodesPerRefresh) candidates.Add(suspect);
        }
        foreach (NodeEndpoint seed in _seeds)
        {
            if (!candidates.Contains(seed)) candidates.Add(seed);
        }
        return candidates;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        try
        {
            await _periodic.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        _stopping.Dispose();
    }
}
