using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Keyslot.ScalingDemo;

/// <summary>Latencies of reads and writes grouped into fixed time windows (like CloudWatch periods), plus marked events.</summary>
internal sealed class WindowedRecorder
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, Window> _windows = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly ConcurrentQueue<(TimeSpan At, string What)> _marks = new();

    private readonly TimeSpan _duration;

    public WindowedRecorder(TimeSpan window, TimeSpan duration)
    {
        WindowLength = window;
        _duration = duration;
    }

    public TimeSpan WindowLength { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public long Errors => _errors.Values.Sum();

    public IEnumerable<(TimeSpan At, string What)> Marks => _marks;

    public void Record(bool write, double milliseconds)
    {
        Window window = _windows.GetOrAdd((int)(_clock.Elapsed / WindowLength), static _ => new Window());
        (write ? window.Writes : window.Reads).Add(milliseconds);
    }

    public void RecordError(Exception error) => _errors.AddOrUpdate(error.GetType().Name, 1, static (_, n) => n + 1);

    public void Mark(string what) => _marks.Enqueue((_clock.Elapsed, what));

    public string FormatErrors() => _errors.IsEmpty ? "none" : string.Join(", ", _errors.Select(e => $"{e.Key}={e.Value}"));

    /// <summary>Completed windows in time order, with p50/p90/p95 of writes and reads.</summary>
    public IReadOnlyList<WindowSummary> Summaries()
    {
        var result = new List<WindowSummary>();
        foreach ((int index, Window window) in _windows.OrderBy(w => w.Key))
        {
            if (WindowLength * index >= _duration) continue; // the last commands finishing after the run: not a window
            double[] writes = Sorted(window.Writes), reads = Sorted(window.Reads);
            if (writes.Length + reads.Length == 0) continue;
            TimeSpan start = WindowLength * index;
            bool scaling = _marks.Any(m => m.At >= start && m.At < start + WindowLength) || IsBetweenMarks(start);
            result.Add(new WindowSummary(start, writes.Length + reads.Length,
                P(writes, 50), P(writes, 90), P(writes, 95), P(reads, 50), P(reads, 90), P(reads, 95), scaling));
        }
        return result;
    }

    public string FormatTable()
    {
        var text = new StringBuilder();
        text.AppendLine("window      ops/s    write p50   p90    p95   |  read p50   p90    p95   (ms)");
        foreach (WindowSummary w in Summaries())
        {
            text.AppendLine($"{w.Start.TotalSeconds,4:0}-{(w.Start + WindowLength).TotalSeconds,-4:0}s {w.Operations / WindowLength.TotalSeconds,8:N0}   {w.WriteP50,6:0.00} {w.WriteP90,6:0.00} {w.WriteP95,6:0.00}  |  {w.ReadP50,6:0.00} {w.ReadP90,6:0.00} {w.ReadP95,6:0.00}{(w.Scaling ? "   ← scaling" : "")}");
        }
        return text.ToString();
    }

    private bool IsBetweenMarks(TimeSpan start)
    {
        (TimeSpan At, string What)[] marks = [.. _marks];
        return marks.Length >= 2 && start >= marks[0].At && start < marks[^1].At;
    }

    private static double[] Sorted(ConcurrentBag<double> samples)
    {
        double[] values = [.. samples];
        Array.Sort(values);
        return values;
    }

    private static double P(double[] sorted, double percentile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed class Window
    {
        public ConcurrentBag<double> Writes { get; } = new();
        public ConcurrentBag<double> Reads { get; } = new();
    }
}

/// <summary>One window's figures.</summary>
internal sealed record WindowSummary(TimeSpan Start, int Operations, double WriteP50, double WriteP90, double WriteP95,
    double ReadP50, double ReadP90, double ReadP95, bool Scaling);
