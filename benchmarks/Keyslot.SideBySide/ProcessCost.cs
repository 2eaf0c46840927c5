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
    private readonly TimeSpan _jitBefore = System.Runtime.JitInfo.GetCompilationTime();
    private readonly long _methodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
    private readonly long _workItemsBefore = ThreadPool.CompletedWorkItemCount;
    private readonly ContextSwitches _switches = ContextSwitches.Start();

    private ProcessCost(TimeSpan cpuBefore, long allocatedBefore, HostSteal steal, ServerCpu servers)
    {
        _cpuBefore = cpuBefore;
        _allocatedBefore = allocatedBefore;
        _steal = steal;
        _servers = servers;
    }

    /// <summary>Thread-pool work items completed since <see cref="Start"/>, and the pool's threads now: how a client's work was handed around.</summary>
    public (long WorkItems, int Threads) ThreadPoolSinceStart() => (ThreadPool.CompletedWorkItemCount - _workItemsBefore, ThreadPool.ThreadCount);

    /// <summary>The process's context switches since <see cref="Start"/> (voluntary, involuntary).</summary>
    public (long Voluntary, long Involuntary) ContextSwitchesSinceStart() => _switches.Stop();

    /// <summary>
    /// The JIT's work since <see cref="Start"/>, all threads: a round that recompiles hot methods (tier 1) pays for it
    /// in its CPU figure, so a round far off the others says here whether the JIT is why.
    /// </summary>
    public (double Milliseconds, long Methods) JitSinceStart() =>
        ((System.Runtime.JitInfo.GetCompilationTime() - _jitBefore).TotalMilliseconds, System.Runtime.JitInfo.GetCompiledMethodCount() - _methodsBefore);

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
