using System.Globalization;

namespace Keyslot.Testing.Internal;

/// <summary>
/// Removes run directories whose owning test process is gone: kills their redis-server processes (only after
/// checking /proc/pid/cmdline says redis-server) and deletes the directories.
/// </summary>
internal static class OrphanSweeper
{
    private static readonly TimeSpan NewDirectoryGrace = TimeSpan.FromMinutes(1);

    /// <summary>Sweeps <paramref name="root"/>; returns the run directories removed.</summary>
    public static IReadOnlyList<string> Sweep(string root)
    {
        var removed = new List<string>();
        if (!Directory.Exists(root))
        {
            return removed;
        }

        foreach (var run in Directory.EnumerateDirectories(root))
        {
            try
            {
                if (!IsOrphan(run))
                {
                    continue;
                }

                foreach (var pidFile in Directory.EnumerateFiles(run, NodeProcess.PidFileName, SearchOption.AllDirectories)
                             .Concat(Directory.EnumerateFiles(run, "redis.pid", SearchOption.AllDirectories)))
                {
                    if (int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                        && Signals.IsRedisServer(pid))
                    {
                        Signals.Send(pid, Signals.SigKill);
                    }
                }

                Directory.Delete(run, recursive: true);
                removed.Add(run);
            }
            catch (IOException)
            {
                // Another process may be sweeping the same directory; skip it.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to remove.
            }
        }

        return removed;
    }

    private static bool IsOrphan(string run)
    {
        var owner = Path.Combine(run, RunDirectory.OwnerFileName);
        if (!File.Exists(owner))
        {
            // A run directory being created right now has no owner file yet.
            return DateTime.UtcNow - Directory.GetCreationTimeUtc(run) > NewDirectoryGrace;
        }

        return !OwnerStamp.IsAlive(File.ReadAllText(owner));
    }
}
