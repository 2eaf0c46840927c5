namespace Keyslot.SideBySide;

/// <summary>
/// The share of the machine's CPU time that the hypervisor gave to other guests (the "steal" column of /proc/stat)
/// over a timed part: these virtual machines share their host, and a round measured while a neighbour was busy is
/// slower for reasons that are not the client's. Printed with every round so that such a round can be told apart.
/// </summary>
internal readonly struct HostSteal
{
    private readonly long _steal;
    private readonly long _total;

    private HostSteal(long steal, long total)
    {
        _steal = steal;
        _total = total;
    }

    public static HostSteal Start() => Read();

    /// <summary>Percent of all CPU time since <see cref="Start"/> that was stolen; NaN where /proc/stat is not there.</summary>
    public double StopPercent()
    {
        HostSteal end = Read();
        long total = end._total - _total;
        return total <= 0 ? double.NaN : 100.0 * (end._steal - _steal) / total;
    }

    private static HostSteal Read()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks
            string line = File.ReadLines("/proc/stat").First();
            long[] fields = [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse)];
            return new HostSteal(fields[7], fields.Sum());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return new HostSteal(0, 0);
        }
    }
}
