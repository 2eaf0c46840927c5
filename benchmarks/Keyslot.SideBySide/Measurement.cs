using System.Diagnostics;

namespace Keyslot.SideBySide;

/// <summary>What one client did in one round: throughput, client CPU, allocations, GCs and sequential-GET latency.</summary>
internal sealed record Measurement(
    string Client, long Operations, double Seconds, double CpuSeconds, long AllocatedBytes, int Gen0, int Gen1, int Gen2,
    double LatencyP50Us, double LatencyP99Us, double LatencyP999Us, int Errors, string ErrorDetail, double StealPercent, double ServerCpuSeconds,
    double JitMilliseconds, long JitMethods, long WorkItems, int PoolThreads, long VoluntarySwitches, long InvoluntarySwitches)
{
    public double OpsPerSecond => Operations / Seconds;

    public double CpuSecondsPerMillion => CpuSeconds / Operations * 1_000_000;

    public double BytesPerOperation => (double)AllocatedBytes / Operations;

    public double WorkItemsPerOperation => (double)WorkItems / Operations;

    /// <summary>Context switches (voluntary, involuntary) per 1,000 operations.</summary>
    public (double Voluntary, double Involuntary) SwitchesPerThousand => (VoluntarySwitches * 1000.0 / Operations, InvoluntarySwitches * 1000.0 / Operations);

    /// <summary>The local servers' CPU per 1M operations (NaN against an endpoint the run did not start).</summary>
    public double ServerCpuSecondsPerMillion => ServerCpuSeconds / Operations * 1_000_000;

    /// <summary>Runs the throughput part and the latency part for one client.</summary>
    public static async Task<Measurement> TakeAsync(IClientUnderTest client, Workload workload, RunSettings settings, int[] serverPids)
    {
        var errors = new ErrorCounter();
        await client.RunMixAsync(workload, 0, settings.WarmUpOperations, settings.Concurrency, errors); // JIT, pools, connections

        var cost = ProcessCost.Start(serverPids);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var clock = Stopwatch.StartNew();

        await client.RunMixAsync(workload, settings.WarmUpOperations, settings.Operations, settings.Concurrency, errors);

        clock.Stop();
        (double cpu, long allocated, double stolen, double serverCpu) = cost.Stop();
        (double jitMs, long jitMethods) = cost.JitSinceStart();
        (long workItems, int poolThreads) = cost.ThreadPoolSinceStart();
        (long voluntary, long involuntary) = cost.ContextSwitchesSinceStart();
        gen0 = GC.CollectionCount(0) - gen0;
        gen1 = GC.CollectionCount(1) - gen1;
        gen2 = GC.CollectionCount(2) - gen2;

        var ticks = new long[settings.LatencySamples];
        await client.RunSequentialGetsAsync(workload, ticks, errors);
        Array.Sort(ticks);
        double Us(double percentile) => ProcessCost.PercentileMicroseconds(ticks, percentile);

        return new Measurement(client.Name, settings.Operations, clock.Elapsed.TotalSeconds, cpu, allocated, gen0, gen1, gen2,
            Us(50), Us(99), Us(99.9), errors.Total, errors.ToString(), stolen, serverCpu, jitMs, jitMethods, workItems, poolThreads, voluntary, involuntary);
    }
}

/// <summary>The run's sizes.</summary>
internal sealed record RunSettings(long Operations, int Concurrency, int KeyCount, int LatencySamples, long WarmUpOperations, int Rounds);
