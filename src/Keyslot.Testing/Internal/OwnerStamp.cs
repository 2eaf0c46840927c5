using System.Globalization;

namespace Keyslot.Testing.Internal;

/// <summary>
/// Identifies a process across pid reuse: "pid" on the first line and its start time (clock ticks since boot,
/// field 22 of /proc/pid/stat) on the second.
/// </summary>
internal static class OwnerStamp
{
    public static string Current() =>
        Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n" + (StartTime(Environment.ProcessId) ?? "?") + "\n";

    /// <summary>True when the stamped process still runs (same pid and same start time).</summary>
    public static bool IsAlive(string stamp)
    {
        var lines = stamp.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || !int.TryParse(lines[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        var start = StartTime(pid);
        if (start is null)
        {
            return false;
        }

        return lines.Length < 2 || lines[1] == "?" || lines[1] == start;
    }

    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return afterName.Length > 19 ? afterName[19] : null; // field 22 overall; fields after "comm" start at 3
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
