using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Keyslot.IntegrationTests.Resilience;

/// <summary>
/// A bounded write/read load that can prove no acknowledged write was lost: each worker owns its keys and writes
/// increasing versions to them, remembering the last version acknowledged and the last one attempted. Afterwards
/// every key must hold a version between the two (an unacknowledged write may or may not have been applied).
/// Errors are counted by kind, and completions are bucketed in time to find stretches with no progress.
/// </summary>
public sealed class VersionedLoad
{
    private const int BucketMs = 100;
    private readonly IClusterClient _client;
    private readonly int _workers;
    private readonly long[] _acked;
    private readonly long[] _attempted;
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly ConcurrentQueue<string> _errorSamples = new();
    private readonly int[] _completions = new int[3000]; // 100 ms buckets: up to 5 minutes
    private readonly Stopwatch _clock = new();
    private readonly ConcurrentBag<double> _latencies = new();
    private int _staleReads;
    private CancellationTokenSource? _stop;
    private Task[] _running = [];

    private readonly int[][] _keysOfWorker;

    /// <param name="client">The client under test.</param>
    /// <param name="keyFilter">Use only keys it accepts (e.g. keys on healthy shards); null = keys over all slots.</param>
    /// <param name="workers">Concurrent workers, each awaiting one command at a time.</param>
    /// <param name="keysPerWorker">Keys each worker owns (before filtering).</param>
    public VersionedLoad(IClusterClient client, Func<string, bool>? keyFilter = null, int workers = 40, int keysPerWorker = 100)
    {
        _client = client;
        _workers = workers;
        _acked = new long[workers * keysPerWorker];
        _attempted = new long[workers * keysPerWorker];
        _keysOfWorker = new int[workers][];
        for (int w = 0; w < workers; w++)
        {
            _keysOfWorker[w] = Enumerable.Range(w * keysPerWorker, keysPerWorker).Where(i => keyFilter is null || keyFilter(KeyOf(i))).ToArray();
        }
    }

    public static string KeyOf(int index) => "load:" + index.ToString(CultureInfo.InvariantCulture);

    public int KeyCount => _acked.Length;

    public TimeSpan Elapsed => _clock.Elapsed;

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

    public async Task<LoadReport> StopAsync()
    {
        _stop!.Cancel();
        await Task.WhenAll(_running);
        _clock.Stop();
        return Report();
    }

    private async Task WorkAsync(int worker, CancellationToken stop)
    {
        var random = new Random(worker);
        while (!stop.IsCancellationRequested)
        {
            int[] keys = _keysOfWorker[worker];
            int index = keys[random.Next(keys.Length)];
            string key = KeyOf(index);
            bool write = random.Next(2) == 0;
            long started = Stopwatch.GetTimestamp();
            try
            {
                if (write)
                {
                    long version = ++_attempted[index];
                    await _client.StringSetAsync(key, version);
                    Volatile.Write(ref _acked[index], version);
                }
                else
                {
                    string? value = await _client.StringGetAsync(key);
                    long seen = value is null ? 0 : long.Parse(value, CultureInfo.InvariantCulture);
                    if (seen < Volatile.Read(ref _acked[index]))
                    {
                        // Not a client error: counted apart, because Redis itself may lose a write it acknowledged
                        // when a primary dies before replicating it (replication is asynchronous).
                        Interlocked.Increment(ref _staleReads);
                        if (_errorSamples.Count < 10) _errorSamples.Enqueue($"stale read: {key}: read {seen}, acked {_acked[index]}");
                    }
                }
                int bucket = (int)(_clock.ElapsedMilliseconds / BucketMs);
                if (bucket < _completions.Length) Interlocked.Increment(ref _completions[bucket]);
                _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (RedisException ex)
            {
                string kind = (write ? "write " : "read ") + ex.GetType().Name + (ex is RedisConnectionException { MayHaveBeenApplied: true } ? "(may have been applied)" : "");
                Count(kind, ex.Message);
            }
        }
    }

    private void Count(string kind, string sample)
    {
        _errors.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        if (_errorSamples.Count < 10) _errorSamples.Enqueue(kind + ": " + sample);
    }

    /// <summary>Reads every key back and counts acknowledged writes that are not there.</summary>
    public async Task<int> CountLostAcknowledgedWritesAsync()
    {
        int lost = 0;
        var reads = new Task<string?>[_acked.Length];
        for (int i = 0; i < reads.Length; i++) reads[i] = _client.StringGetAsync(KeyOf(i)).AsTask();
        string?[] values = await Task.WhenAll(reads);
        for (int i = 0; i < values.Length; i++)
        {
            long stored = values[i] is null ? 0 : long.Parse(values[i]!, CultureInfo.InvariantCulture);
            if (stored < _acked[i] || stored > _attempted[i])
            {
                lost++;
                if (_errorSamples.Count < 20) _errorSamples.Enqueue($"lost: {KeyOf(i)} stored {stored}, acked {_acked[i]}, attempted {_attempted[i]}");
            }
        }
        return lost;
    }

    private LoadReport Report()
    {
        int buckets = Math.Min(_completions.Length, (int)(_clock.ElapsedMilliseconds / BucketMs));
        int longest = 0, run = 0;
        long total = 0;
        for (int i = 0; i < buckets; i++)
        {
            total += _completions[i];
            run = _completions[i] == 0 ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        double[] sorted = _latencies.ToArray();
        Array.Sort(sorted);
        double P(double p) => sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LoadReport(total, new Dictionary<string, int>(_errors), [.. _errorSamples], TimeSpan.FromMilliseconds(longest * BucketMs), P(50), P(99), _staleReads);
    }
}

/// <summary>What a load run saw.</summary>
/// <param name="StaleReads">Reads that returned a version older than one already acknowledged to the same worker.</param>
public sealed record LoadReport(long Completed, IReadOnlyDictionary<string, int> Errors, IReadOnlyList<string> Samples, TimeSpan LongestStall, double P50Ms, double P99Ms, int StaleReads)
{
    public int ErrorCount => Errors.Values.Sum();

    public int ErrorsWhere(Func<string, bool> kind) => Errors.Where(e => kind(e.Key)).Sum(e => e.Value);

    public override string ToString() =>
        $"completed {Completed}, stale reads {StaleReads}, errors {ErrorCount} [{string.Join("; ", Errors.Select(e => e.Key + "=" + e.Value))}], longest stall {LongestStall.TotalMilliseconds} ms, " +
        $"p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms; samples: {string.Join(" | ", Samples)}";
}
