namespace Keyslot.SideBySide;

/// <summary>
/// The client process's context switches over a timed part, summed over its threads from /proc/self/task/*/status:
/// voluntary (a thread blocked or yielded: waits, hand-offs between threads) and involuntary (the kernel took the core
/// away). A client that hands work between threads pays for every switch on cores it shares with the servers.
/// </summary>
internal readonly struct ContextSwitches
{
    private readonly long _voluntary;
    private readonly long _involuntary;

    private ContextSwitches(long voluntary, long involuntary)
    {
        _voluntary = voluntary;
        _involuntary = involuntary;
    }

    public static ContextSwitches Start() => Read();

    /// <summary>Switches since <see cref="Start"/>. Threads that ended in between are not counted; none do in a round.</summary>
    public (long Voluntary, long Involuntary) Stop()
    {
        ContextSwitches end = Read();
        return (end._voluntary - _voluntary, end._involuntary - _involuntary);
    }

    private static ContextSwitches Read()
    {
        long voluntary = 0, involuntary = 0;
        if (!Directory.Exists("/proc/self/task")) return new ContextSwitches(0, 0);
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)) voluntary += long.Parse(line.AsSpan(24).Trim());
                    else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal)) involuntary += long.Parse(line.AsSpan(27).Trim());
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // the thread ended while being read
            }
        }
        return new ContextSwitches(voluntary, involuntary);
    }
}
