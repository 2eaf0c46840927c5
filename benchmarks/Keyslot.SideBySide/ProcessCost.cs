using System.Diagnostics;

namespace Keyslot.SideBySide;

/// <summary>
/// What a timed part cost: the client process's CPU time and managed allocation (started after a full collection so
/// that garbage from before it is not charged to it), the host's steal share and the local servers' CPU over the same
/// span; and the percentiles of a timed part's per-operation ticks.
/// </summary>
internal readonly struct ProcessCost
{
    private readonly TimeSpan _cpuBefore;
    private readonly long _allocatedBefore;
    private readonly HostSteal _steal;
    private readonly ServerCpu _servers;

    private ProcessCost(TimeSpan cpuBefore, long allocatedBefore, HostSteal steal, ServerCpu servers)
    {
        _cpuBefore = cpuBefore;
        _allocatedBefore = allocatedBefore;
        _steal = steal;
        _servers = servers;
    }

    /// <summary>Collects fully, then takes the starting CPU time and allocation count, and those of the host and the servers (<paramref name="serverPids"/>, none against an outside endpoint).</summary>
    public static ProcessCost Start(int[] serverPids)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using Process process = Process.GetCurrentProcess();
        return new ProcessCost(process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true), HostSteal.Start(), ServerCpu.Start(serverPids));
    }

    /// <summary>Since <see cref="Start"/>: CPU seconds, bytes allocated, percent of the host's CPU time stolen, the servers' CPU seconds (NaN without servers).</summary>
    public (double CpuSeconds, long AllocatedBytes, double StealPercent, double ServerCpuSeconds) Stop()
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocatedBefore;
        using Process process = Process.GetCurrentProcess();
        return ((process.TotalProcessorTime - _cpuBefore).TotalSeconds, allocated, _steal.StopPercent(), _servers.StopSeconds());
    }

    /// <summary>The <paramref name="percentile"/>th of <paramref name="sortedTicks"/> (Stopwatch ticks), in microseconds.</summary>
    public static double PercentileMicroseconds(long[] sortedTicks, double percentile) =>
        sortedTicks[Math.Clamp((int)Math.Ceiling(percentile / 100 * sortedTicks.Length) - 1, 0, sortedTicks.Length - 1)] * 1_000_000.0 / Stopwatch.Frequency;
}
