using System.Globalization;

namespace Keyslot.SideBySide;

/// <summary>
/// The CPU time the local cluster's <c>redis-server</c> processes used over a timed part (user + system, from
/// /proc/&lt;pid&gt;/stat): on a machine whose cores the servers share with the client, what each client's mix of
/// operations costs the servers decides how much CPU is left, so it is printed next to the client's own CPU.
/// </summary>
internal readonly struct ServerCpu
{
    private readonly int[] _pids;
    private readonly double _before;

    private ServerCpu(int[] pids, double before)
    {
        _pids = pids;
        _before = before;
    }

    public static ServerCpu Start(IEnumerable<int> pids)
    {
        int[] all = [.. pids];
        return new ServerCpu(all, Seconds(all));
    }

    /// <summary>CPU seconds the servers used since <see cref="Start"/>; NaN without servers or where /proc is not there.</summary>
    public double StopSeconds() => _pids.Length == 0 ? double.NaN : Seconds(_pids) - _before;

    private static double Seconds(int[] pids)
    {
        double ticks = 0;
        foreach (int pid in pids)
        {
            try
            {
                // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th, stime the 15th.
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return double.NaN;
            }
        }
        return ticks / 100.0; // USER_HZ: 100 on Linux
    }
}
