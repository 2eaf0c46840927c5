using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Keyslot.BrowserTests;

/// <summary>
/// The SessionStore sample as a child process (<c>dotnet SessionStore.dll --urls http://127.0.0.1:0</c>), pointed at a
/// cluster through <c>ConnectionStrings__redis</c>. Kestrel picks a free loopback port; the sample prints it. Disposing
/// kills the process by its pid and waits for it to exit.
/// </summary>
internal sealed partial class SessionStoreProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _sync = new();
    private int _disposed;

    private SessionStoreProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        // A test abandoned by its timeout may never reach Dispose; the child must not outlive the test host.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    /// <summary>The sample's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Everything the sample wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_sync)
            {
                return _output.ToString();
            }
        }
    }

    public static string AssemblyPath =>
        typeof(SessionStoreProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SessionStoreAssembly").Value!;

    /// <summary>Starts the sample and waits (bounded) until it prints the address it listens on.</summary>
    public static async Task<SessionStoreProcess> StartAsync(string redisConfiguration, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string assembly = AssemblyPath;
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"The SessionStore sample is not built at {assembly}.", assembly);
        }

        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(assembly);
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add("http://127.0.0.1:0");
        startInfo.Environment["ConnectionStrings__redis"] = redisConfiguration;
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["Logging__LogLevel__Keyslot"] = "Information";

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var sample = new SessionStoreProcess(process, new Uri("http://127.0.0.1/"));
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            sample.Append(line);
            Match match = ListeningLine().Match(line);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The SessionStore sample exited before it listened."));
        if (!process.Start())
        {
            throw new InvalidOperationException("The SessionStore sample did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            sample.BaseAddress = await listening.Task.WaitAsync(timeout, cancellationToken);
            return sample;
        }
        catch (Exception ex)
        {
            string output = sample.Output;
            sample.Dispose();
            throw new InvalidOperationException($"The SessionStore sample did not report its address within {timeout.TotalSeconds:0} s ({ex.Message}). Its output:\n{output}", ex);
        }
    }

    private void Append(string line)
    {
        lock (_sync)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Kills the sample by pid (its whole tree) and waits up to 10 s for it to exit.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    [GeneratedRegex(@"SessionStore listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
