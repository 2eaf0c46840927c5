using System.Diagnostics;

namespace Keyslot.SideBySide;

/// <summary>Batches of 10,000 SETs and MGETs of 100 keys across slots: median time and allocated bytes per call.</summary>
internal sealed record MultiKeyMeasurement(string Client, double BatchMedianMs, double BatchBytes, double MgetMedianUs, double MgetBytes)
{
    private const int BatchSize = 10_000, Batches = 20, MgetKeys = 100, Mgets = 2_000;

    public static async Task<MultiKeyMeasurement> TakeAsync(IClientUnderTest client, Workload workload)
    {
        // Warm up both paths, then measure.
        await client.RunSetBatchAsync(workload, 0, BatchSize);
        string[] keys = [.. Enumerable.Range(0, MgetKeys).Select(i => workload.Keys[i * 997 % workload.Keys.Length])];
        for (int i = 0; i < 100; i++) await client.RunMultiGetAsync(keys);

        var batchMs = new double[Batches];
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (int b = 0; b < Batches; b++)
        {
            long start = Stopwatch.GetTimestamp();
            await client.RunSetBatchAsync(workload, b * BatchSize % workload.Keys.Length, BatchSize);
            batchMs[b] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        double batchBytes = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / Batches;

        var mgetUs = new double[Mgets];
        allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (int m = 0; m < Mgets; m++)
        {
            long start = Stopwatch.GetTimestamp();
            int count = await client.RunMultiGetAsync(keys);
            mgetUs[m] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (count != MgetKeys) throw new InvalidOperationException($"{client.Name} returned {count} values for {MgetKeys} keys.");
        }
        double mgetBytes = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / Mgets;
        return new MultiKeyMeasurement(client.Name, Median(batchMs), batchBytes, Median(mgetUs), mgetBytes);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
