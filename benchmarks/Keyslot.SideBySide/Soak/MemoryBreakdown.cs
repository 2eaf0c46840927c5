using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Keyslot.SideBySide.Soak;

/// <summary>
/// Where the process's resident memory is, so a growing working set can be told apart: anonymous pages (the GC's
/// committed memory, thread stacks, native allocations, JIT code) versus file-backed pages (the runtime's and the
/// assemblies' mapped images, which grow as more code paths are touched and are shared, not leaked). Linux only
/// (<c>/proc/self/status</c>); elsewhere the resident figures are zero.
/// </summary>
internal readonly record struct MemoryBreakdown(
    long WorkingSet, long RssAnon, long RssFile, long GcCommitted, long GcFragmented, int Threads, long JitIlBytes, long JitMethods)
{
    /// <summary>Taken right after a full, blocking collection, so the GC's figures are what it keeps.</summary>
    public static MemoryBreakdown Take()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        GCMemoryInfo gc = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return new MemoryBreakdown(
            self.WorkingSet64,
            StatusKib("RssAnon:") * 1024,
            StatusKib("RssFile:") * 1024,
            gc.TotalCommittedBytes,
            gc.FragmentedBytes,
            self.Threads.Count,
            JitInfo.GetCompiledILBytes(),
            JitInfo.GetCompiledMethodCount());
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"rss anon {Mib(RssAnon):0.0} file {Mib(RssFile):0.0} MiB, GC committed {Mib(GcCommitted):0.0} (fragmented {Mib(GcFragmented):0.0}) MiB, threads {Threads}, JIT {JitMethods:N0} methods / {JitIlBytes / 1024:N0} KiB IL");

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private static long StatusKib(string field)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            string value = line[field.Length..].Trim();
            int space = value.IndexOf(' ', StringComparison.Ordinal);
            return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
