using System.Diagnostics;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.Synchronous;

/// <summary>
/// Two hundred synchronous callers on a starved thread pool, in a child process (tests/Keyslot.StarvationProbe)
/// that blocks every pool thread it has: the synchronous commands finish, MOVED included, because nothing on their
/// road needs the pool; the same callers blocking on the async commands (sync-over-async) stall, which shows the
/// pool really was starved. A cluster of this class's own: a slot is moved under the probe.
/// </summary>
public sealed class SynchronousStarvationTests : IClassFixture<ClusterFixture>
{
    private const int Callers = 200;
    private const int CommandsPerCaller = 20;

    private readonly LocalRedisCluster _cluster;
    private readonly ITestOutputHelper _output;

    public SynchronousStarvationTests(ClusterFixture fixture, ITestOutputHelper output)
    {
        _cluster = fixture.Cluster;
        _output = output;
    }

    [Fact]
    public async Task Two_hundred_synchronous_callers_finish_on_a_starved_thread_pool_and_follow_a_moved_slot()
    {
        int slot = ClusterClient.GetSlot("{probe}");
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = _cluster.Primaries.First(p => p != owner);
        Dictionary<string, string> result = await RunProbeAsync("sync", boundSeconds: 60,
            whileReady: () => _cluster.MoveSlotAsync(slot, target)); // the probe's map still names the old owner

        _output.WriteLine("probe: " + string.Join(' ', result.Select(kv => kv.Key + "=" + kv.Value)));
        Assert.Equal("True", result["limited"]);
        Assert.Equal("True", result["starved"]);
        Assert.True(result["errors"] == "0", $"{result["errors"]} commands failed in {result["seconds"]} s; the first: {result["firstError"]}");
        Assert.Equal((Callers * CommandsPerCaller).ToString(System.Globalization.CultureInfo.InvariantCulture), result["completed"]);
        // The keys of the moved slot were written where it went (the probe's MOVED was followed, not answered wrong).
        Assert.Equal("v16", await _cluster.ExecuteAsync(target, "GET", "{probe}:7"));
    }

    [Fact]
    public async Task The_same_callers_blocking_on_async_commands_stall_which_shows_the_pool_is_starved()
    {
        Dictionary<string, string> result = await RunProbeAsync("sync-over-async", boundSeconds: 8, whileReady: () => Task.CompletedTask);

        Assert.Equal("True", result["starved"]);
        int completed = int.Parse(result["completed"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(completed < Callers * CommandsPerCaller, $"sync-over-async finished all {completed} commands on a starved pool; the probe did not starve it");
    }

    /// <summary>Runs the probe: waits for READY, runs <paramref name="whileReady"/>, says GO, and parses its RESULT line. Bounded; the child is always stopped.</summary>
    private async Task<Dictionary<string, string>> RunProbeAsync(string mode, int boundSeconds, Func<Task> whileReady)
    {
        string probe = Path.Combine(AppContext.BaseDirectory.Replace("Keyslot.IntegrationTests", "Keyslot.StarvationProbe", StringComparison.Ordinal),
            "Keyslot.StarvationProbe.dll");
        Assert.True(File.Exists(probe), $"the probe was not built at {probe}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { probe, _cluster.ConfigurationString, mode, Callers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     CommandsPerCaller.ToString(System.Globalization.CultureInfo.InvariantCulture), boundSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        using Process child = Process.Start(start) ?? throw new InvalidOperationException("the probe did not start");
        Task<string> errors = child.StandardError.ReadToEndAsync();
        try
        {
            string? ready = await ReadLineWithin(child, TimeSpan.FromSeconds(30), "READY");
            Assert.Equal("READY", ready);
            await whileReady();
            await child.StandardInput.WriteLineAsync("GO");
            await child.StandardInput.FlushAsync();
            string? line = await ReadLineWithin(child, TimeSpan.FromSeconds(boundSeconds + 30), "RESULT");
            Assert.True(line is not null && line.StartsWith("RESULT ", StringComparison.Ordinal), $"the probe printed '{line}' instead of its result; stderr: {await StderrOf(errors)}");
            return Parse(line!);
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Reads one line, failing (with the child then killed by the caller) when none comes within <paramref name="bound"/>.</summary>
    private static async Task<string?> ReadLineWithin(Process child, TimeSpan bound, string expected)
    {
        Task<string?> read = child.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(read, Task.Delay(bound)) != read)
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail($"the probe printed no {expected} line within {bound.TotalSeconds:0} s");
        }
        return await read;
    }

    private static async Task<string> StderrOf(Task<string> errors) =>
        await Task.WhenAny(errors, Task.Delay(TimeSpan.FromSeconds(2))) == errors ? await errors : "(not read)";

    /// <summary>"RESULT a=1 b=2 firstError=any text" → a map; firstError takes the rest of the line.</summary>
    private static Dictionary<string, string> Parse(string line)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        int errorAt = line.IndexOf(" firstError=", StringComparison.Ordinal);
        values["firstError"] = line[(errorAt + " firstError=".Length)..];
        foreach (string pair in line["RESULT ".Length..errorAt].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            values[pair[..eq]] = pair[(eq + 1)..];
        }
        return values;
    }
}
