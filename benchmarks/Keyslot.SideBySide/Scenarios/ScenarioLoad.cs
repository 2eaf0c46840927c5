using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Keyslot.SideBySide.Scenarios;

/// <summary>
/// The scenario load: workers each awaiting one command at a time, 50/50 GET/SET over keys they own, each SET writing
/// the key's next version. Afterwards every key must hold a version between the last acknowledged and the last
/// attempted one; anything lower is a lost acknowledged write.
/// </summary>
internal sealed class ScenarioLoad
{
    private const int BucketMs = 50;
    private const int KeysPerWorker = 20;
    private readonly IClientUnderTest _client;
    private readonly int _workers;
    private readonly long[] _acked, _attempted;
    private readonly int[] _completions = new int[20 * 60 * 5]; // 50 ms buckets, up to 5 minutes
    private readonly int[] _victimCompletions = new int[20 * 60 * 5]; // the same, for keys on the victim's slots only
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly ConcurrentQueue<(long At, double Ms)> _latencies = new();
    private readonly Stopwatch _clock = new();
    private readonly Func<string, bool> _onVictimShard;
    private long _firstVictimSuccessAfterEvent = long.MaxValue;
    private long _eventAt = long.MaxValue;
    private long _victimDownAt = long.MaxValue;
    private CancellationTokenSource? _stop;
    private Task[] _running = [];

    public ScenarioLoad(IClientUnderTest client, int workers, Func<string, bool> onVictimShard)
    {
        _client = client;
        _workers = workers;
        _acked = new long[workers * KeysPerWorker];
        _attempted = new long[workers * KeysPerWorker];
        _onVictimShard = onVictimShard;
    }

    public TimeSpan Now => _clock.Elapsed;

    private string KeyOf(string prefix, int index) => PinWorkersToSlots
        ? prefix + "{" + (index / KeysPerWorker).ToString(CultureInfo.InvariantCulture) + "}" + index.ToString(CultureInfo.InvariantCulture)
        : prefix + index.ToString(CultureInfo.InvariantCulture);

    public string Prefix { get; init; } = "scenario:";

    /// <summary>
    /// Each worker's keys share one hash tag, so each worker stays on one slot: a worker waiting on a dead shard then
    /// holds up only that shard's share of the load, and the other shards' throughput shows whether they were affected.
    /// </summary>
    public bool PinWorkersToSlots { get; init; }

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _clock.Start();
        _running = new Task[_workers];
        for (int w = 0; w < _workers; w++)
        {
            int worker = w;
            _running[w] = Task.Run(() => WorkAsync(worker, _stop.Token));
        }
    }

    /// <summary>Marks when the disruption starts (for "first success on the failed shard" and the during-window figures).</summary>
    public void MarkEvent() => Interlocked.Exchange(ref _eventAt, _clock.ElapsedTicks);

    /// <summary>Marks when the victim primary is certainly down (its kill or freeze returned): successes on its shard count from here.</summary>
    public void MarkVictimDown() => Interlocked.Exchange(ref _victimDownAt, _clock.ElapsedTicks);

    public async Task StopAsync()
    {
        _stop!.Cancel();
        await Task.WhenAll(_running);
        _clock.Stop();
    }

    private async Task WorkAsync(int worker, CancellationToken stop)
    {
        var random = new Random(worker);
        while (!stop.IsCancellationRequested)
        {
            int index = worker * KeysPerWorker + random.Next(KeysPerWorker);
            string key = KeyOf(Prefix, index);
            bool write = random.Next(2) == 0;
            long started = _clock.ElapsedTicks;
            try
            {
                if (write)
                {
                    long version = ++_attempted[index];
                    await _client.SetAsync(key, version.ToString(CultureInfo.InvariantCulture));
                    _acked[index] = version;
                }
                else
                {
                    await _client.GetAsync(key);
                }
                long done = _clock.ElapsedTicks;
                int bucket = (int)(done * 1000 / Stopwatch.Frequency / BucketMs);
                if (bucket < _completions.Length) Interlocked.Increment(ref _completions[bucket]);
                if (bucket < _victimCompletions.Length && _onVictimShard(key)) Interlocked.Increment(ref _victimCompletions[bucket]);
                _latencies.Enqueue((done, (done - started) * 1000.0 / Stopwatch.Frequency));
                if (started > Volatile.Read(ref _victimDownAt) && _onVictimShard(key))
                {
                    InterlockedMin(ref _firstVictimSuccessAfterEvent, done);
                }
            }
            catch (Exception ex) when (_client.IsCommandError(ex))
            {
                string kind = (write ? "write " : "read ") + ex.GetType().Name;
                _errors.AddOrUpdate(kind, 1, static (_, n) => n + 1);
            }
        }
    }

    private static void InterlockedMin(ref long target, long value)
    {
        long current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public async Task<int> CountLostAcknowledgedWritesAsync()
    {
        int lost = 0;
        for (int i = 0; i < _acked.Length; i++)
        {
            string? value = null;
            for (int attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    value = await _client.GetAsync(KeyOf(Prefix, i));
                    break;
                }
                catch (Exception ex) when (_client.IsCommandError(ex) && attempt < 4)
                {
                    await Task.Delay(200); // the read-back is not part of the measurement: let the cluster settle
                }
            }
            long stored = value is null ? 0 : long.Parse(value, CultureInfo.InvariantCulture);
            if (stored < _acked[i] || stored > _attempted[i]) lost++;
        }
        return lost;
    }

    /// <summary>The figures, with "before" = [0, event) and "during" = [event, end).</summary>
    public ScenarioResult Result(string client, string scenario, TimeSpan? promotedAt, int lostWrites)
    {
        double eventMs = _eventAt == long.MaxValue ? _clock.Elapsed.TotalMilliseconds : _eventAt * 1000.0 / Stopwatch.Frequency;
        double endMs = _clock.Elapsed.TotalMilliseconds;
        int buckets = Math.Min(_completions.Length, (int)(endMs / BucketMs));
        int longest = 0, run = 0;
        long before = 0, during = 0;
        for (int i = 0; i < buckets; i++)
        {
            if (i * BucketMs < eventMs) before += _completions[i];
            else during += _completions[i];
            if (i * BucketMs >= eventMs - 1000) // stalls are counted from shortly before the event on
            {
                run = _completions[i] == 0 ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }
        }
        double[] duringLatencies = _latencies.Where(l => l.At * 1000.0 / Stopwatch.Frequency >= eventMs).Select(l => l.Ms).Order().ToArray();
        double[] steadyLatencies = _latencies.Where(l => l.At * 1000.0 / Stopwatch.Frequency < eventMs && l.At * 1000.0 / Stopwatch.Frequency >= 500).Select(l => l.Ms).Order().ToArray();
        static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        double P(double p) => Percentile(duringLatencies, p);
        double? recovery = null;
        if (promotedAt is { } promoted && _firstVictimSuccessAfterEvent != long.MaxValue)
        {
            recovery = _firstVictimSuccessAfterEvent * 1000.0 / Stopwatch.Frequency - promoted.TotalMilliseconds;
        }
        long victimBefore = 0, victimDuring = 0;
        int othersLongest = 0, othersRun = 0;
        for (int i = 0; i < buckets; i++)
        {
            if (i * BucketMs < eventMs) victimBefore += _victimCompletions[i];
            else victimDuring += _victimCompletions[i];
            if (i * BucketMs >= eventMs - 1000)
            {
                othersRun = _completions[i] - _victimCompletions[i] == 0 ? othersRun + 1 : 0;
                othersLongest = Math.Max(othersLongest, othersRun);
            }
        }
        double beforeSeconds = eventMs / 1000, duringSeconds = (endMs - eventMs) / 1000;
        return new ScenarioResult(client, scenario, new Dictionary<string, int>(_errors), TimeSpan.FromMilliseconds(longest * BucketMs),
            before / beforeSeconds, during / duringSeconds, P(50), P(99), Percentile(steadyLatencies, 99), lostWrites, recovery)
        {
            VictimOpsPerSecondBefore = victimBefore / beforeSeconds,
            VictimOpsPerSecondDuring = victimDuring / duringSeconds,
            OthersOpsPerSecondBefore = (before - victimBefore) / beforeSeconds,
            OthersOpsPerSecondDuring = (during - victimDuring) / duringSeconds,
            OthersLongestStall = TimeSpan.FromMilliseconds(othersLongest * BucketMs),
        };
    }
}

/// <summary>One client's figures for one scenario.</summary>
internal sealed record ScenarioResult(string Client, string Scenario, IReadOnlyDictionary<string, int> Errors, TimeSpan LongestStall,
    double OpsPerSecondBefore, double OpsPerSecondDuring, double P50DuringMs, double P99DuringMs, double P99SteadyMs, int LostWrites, double? PromotionToFirstSuccessMs)
{
    /// <summary>Topology reads from the event to the end of the run (see <see cref="IClientUnderTest.TopologyReads"/>).</summary>
    public long TopologyReads { get; init; }

    /// <summary>Throughput on the victim's slots only (the killed primary's, or the moved ones), before and during.</summary>
    public double VictimOpsPerSecondBefore { get; init; }

    public double VictimOpsPerSecondDuring { get; init; }

    /// <summary>Throughput on every other slot, before and during: a dip here means the disruption spread.</summary>
    public double OthersOpsPerSecondBefore { get; init; }

    public double OthersOpsPerSecondDuring { get; init; }

    /// <summary>The longest stretch (50 ms buckets) in which no command on the other slots completed.</summary>
    public TimeSpan OthersLongestStall { get; init; }

    public int ErrorCount => Errors.Values.Sum();

    public string ErrorsByKind => Errors.Count == 0 ? "0" : string.Join(", ", Errors.OrderBy(e => e.Key).Select(e => $"{e.Value} {e.Key}"));
}
