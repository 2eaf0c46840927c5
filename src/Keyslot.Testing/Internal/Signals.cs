using System.Runtime.InteropServices;

namespace Keyslot.Testing.Internal;

/// <summary>POSIX signals sent by pid.</summary>
internal static partial class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process does not exist.</summary>
    public static bool Send(int pid, int signal) => pid > 0 && NativeMethods.kill(pid, signal) == 0;

    /// <summary>True when a process with this pid exists.</summary>
    public static bool Exists(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}");

    /// <summary>The state letter from /proc/pid/stat (R, S, T, Z, ...), or null when unknown.</summary>
    public static char? ProcessState(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var index = stat.LastIndexOf(')') + 2;
            return index > 1 && index < stat.Length ? stat[index] : null;
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

    /// <summary>True when the pid is a running redis-server (checked through /proc/pid/cmdline).</summary>
    public static bool IsRedisServer(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains("redis-server", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SA1300, IDE1006 // libc naming
        public static extern int kill(int pid, int sig);
#pragma warning restore SA1300, IDE1006
    }
}
