using System.Diagnostics;
using System.Globalization;

namespace Keyslot.Testing.Internal;

/// <summary>
/// One redis-server child process: started with <c>daemonize no</c> from its own redis.conf, pid kept,
/// console output captured for error messages, stopped by signals.
/// </summary>
internal sealed class NodeProcess
{
    public const string Host = "127.0.0.1";
    public const string PidFileName = "process.pid";
    private const int ConsoleLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _console = new();
    private readonly Lock _consoleSync = new();
    private volatile bool _frozen;
    private volatile bool _disposed;

    private NodeProcess(Process process, int port, int busPort, string directory)
    {
        _process = process;
        Port = port;
        BusPort = busPort;
        Directory = directory;
        ProcessId = process.Id;
    }

    public int Port { get; }

    public int BusPort { get; }

    public string Directory { get; }

    public int ProcessId { get; }

    public string ConfigPath => Path.Combine(Directory, "redis.conf");

    public string LogPath => Path.Combine(Directory, "redis.log");

    public bool IsAlive => !_disposed && !_process.HasExited;

    public bool IsFrozen => _frozen && IsAlive;

    /// <summary>Starts redis-server with the config already written in <paramref name="directory"/>.</summary>
    public static NodeProcess Start(string redisServerPath, int port, int busPort, string directory)
    {
        var psi = new ProcessStartInfo(redisServerPath)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        psi.ArgumentList.Add(Path.Combine(directory, "redis.conf"));
        var process = Process.Start(psi) ?? throw new LocalRedisNodeStartException(port, "Process.Start returned null", string.Empty);
        var node = new NodeProcess(process, port, busPort, directory);
        process.OutputDataReceived += (_, e) => node.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => node.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        File.WriteAllText(Path.Combine(directory, PidFileName), process.Id.ToString(CultureInfo.InvariantCulture));
        ProcessExitGuard.Track(process.Id);
        return node;
    }

    /// <summary>The last lines of the log file plus anything redis-server printed on its console.</summary>
    public string Tail(int lines = 30)
    {
        var parts = new List<string>();
        if (!_disposed && _process.HasExited)
        {
            // The console output is read asynchronously: let it drain (bounded; a loaded CI machine needs seconds) before reporting it.
            Task.Run(() => _process.WaitForExit()).Wait(TimeSpan.FromSeconds(5));
        }

        try
        {
            if (File.Exists(LogPath))
            {
                using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                parts.AddRange(all.TakeLast(lines));
            }
        }
        catch (IOException ex)
        {
            parts.Add($"(could not read {LogPath}: {ex.Message})");
        }

        lock (_consoleSync)
        {
            if (_console.Count > 0)
            {
                parts.Add("--- console ---");
                parts.AddRange(_console);
            }
        }

        if (!_disposed && _process.HasExited)
        {
            parts.Add($"(process exited with code {_process.ExitCode})");
        }

        return parts.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, parts);
    }

    public void Freeze()
    {
        if (Signals.Send(ProcessId, Signals.SigStop))
        {
            _frozen = true;
            WaitForState(stopped: true);
        }
    }

    public void Thaw()
    {
        if (Signals.Send(ProcessId, Signals.SigCont))
        {
            WaitForState(stopped: false);
        }

        _frozen = false;
    }

    /// <summary>Signals are delivered asynchronously: wait (at most 2 s) until /proc shows the wanted state.</summary>
    private void WaitForState(bool stopped)
    {
        var deadline = Environment.TickCount64 + 2000;
        while (Environment.TickCount64 < deadline && IsAlive)
        {
            var state = Signals.ProcessState(ProcessId);
            if (state is null || (state == 'T') == stopped)
            {
                return;
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>kill -9, then wait (bounded) until the process is reaped.</summary>
    public void Kill()
    {
        if (IsAlive)
        {
            Signals.Send(ProcessId, Signals.SigKill);
            _process.WaitForExit(5000);
        }

        _frozen = false;
        ProcessExitGuard.Untrack(ProcessId);
    }

    /// <summary>SIGTERM (after SIGCONT if frozen), then SIGKILL if still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (IsAlive)
        {
            Signals.Send(ProcessId, Signals.SigTerm);
            if (_frozen)
            {
                Signals.Send(ProcessId, Signals.SigCont);
            }

            using var cts = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Grace period over: fall through to SIGKILL.
            }

            if (IsAlive)
            {
                Kill();
            }
        }

        _frozen = false;
        ProcessExitGuard.Untrack(ProcessId);
        _disposed = true;
        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_consoleSync)
        {
            _console.Enqueue(line);
            while (_console.Count > ConsoleLines)
            {
                _console.Dequeue();
            }
        }
    }
}
