using System.Collections.Concurrent;

namespace Keyslot.Testing.Internal;

/// <summary>
/// Kills every redis-server this process started when the process exits, so an aborted test run leaves no
/// nodes behind (a hard-killed test process is covered by <see cref="OrphanSweeper"/> on the next start).
/// </summary>
internal static class ProcessExitGuard
{
    private static readonly ConcurrentDictionary<int, byte> Pids = new();
    private static int _installed;

    public static void Track(int pid)
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }

        Pids[pid] = 0;
    }

    public static void Untrack(int pid) => Pids.TryRemove(pid, out _);

    private static void KillAll()
    {
        foreach (var pid in Pids.Keys)
        {
            if (Signals.IsRedisServer(pid))
            {
                Signals.Send(pid, Signals.SigKill);
            }
        }
    }
}
