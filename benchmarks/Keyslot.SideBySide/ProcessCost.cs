using System.Diagnostics;

namespace Keyslot.SideBySide;

/// <summary>
/// The client process's CPU time and managed allocation over a timed part, started after a full collection so that
/// garbage from before it is not charged to it; and the percentiles of a timed part's per-operation ticks.
/// </summary>
internal readonly struct ProcessCost
{
    private readonly TimeSpan _cpuBefore;
    private readonly long _allocatedBefore;

    private ProcessCost(TimeSpan cpuBefore, long allocatedBefore)
    {
        _cpuBefore = cpuBefore;
        _allocatedBefore = allocatedBefore;
    }

    /// <summary>Collects fully, then takes the starting CPU time and allocation count.</summary>
    public static ProcessCost Start()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using Process process = Process.GetCurrentProcess();
        return new ProcessCost(process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
    }

    /// <summary>CPU seconds and bytes allocated since <see cref="Start"/>.</summary>
    public (double CpuSeconds, long AllocatedBytes) Stop()
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocatedBefore;
        using Process process = Process.GetCurrentProcess();
        return ((process.TotalProcessorTime - _cpuBefore).TotalSeconds, allocated);
    }

    /// <summary>The <paramref name="percentile"/>th of <paramref name="sortedTicks"/> (Stopwatch ticks), in microseconds.</summary>
    public static double PercentileMicroseconds(long[] sortedTicks, double percentile) =>
        sortedTicks[Math.Clamp((int)Math.Ceiling(percentile / 100 * sortedTicks.Length) - 1, 0, sortedTicks.Length - 1)] * 1_000_000.0 / Stopwatch.Frequency;
}
