using System.Diagnostics;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Testing;

/// <summary>Start failures, teardown and the orphan sweep.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task DisposeAsync_stops_every_process_and_deletes_the_run_directory_and_is_idempotent()
    {
        var cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 1 });
        var nodes = cluster.Nodes;
        var pids = nodes.Select(n => n.ProcessId).ToArray();
        var runDirectory = cluster.RunDirectoryPath;
        Assert.Equal(2, pids.Length);
        Assert.All(pids, pid => Assert.True(IsRedisServer(pid)));
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadLines(Path.Combine(runDirectory, "owner.pid")).First());

        await cluster.DisposeAsync();
        await cluster.DisposeAsync();

        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"redis-server pid {pid} is still running"));
        Assert.False(Directory.Exists(runDirectory));
        Assert.All(nodes, n => Assert.False(n.IsAlive));
        Assert.Empty(cluster.Nodes);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cluster.AddPrimaryAsync());
    }

    [Fact]
    public async Task Missing_redis_server_throws_with_install_instructions()
    {
        var options = new LocalRedisClusterOptions { RedisServerPath = "/nonexistent/redis-server" };
        var error = await Assert.ThrowsAsync<RedisServerNotFoundException>(() => LocalRedisCluster.StartAsync(options));
        Assert.Contains("apt-get update && apt-get install -y redis-server", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<LocalRedisClusterException>(error);
    }

    [Fact]
    public async Task Node_that_fails_to_start_reports_the_tail_of_its_log()
    {
        var options = new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 0, RootDirectory = NewRoot() };
        options.ExtraConfig["no-such-directive"] = "42";
        var error = await Assert.ThrowsAsync<LocalRedisNodeStartException>(() => LocalRedisCluster.StartAsync(options));
        Assert.Contains("no-such-directive", error.LogTail, StringComparison.Ordinal);
        Assert.Contains("Bad directive", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateDirectories(options.RootDirectory!));
        Directory.Delete(options.RootDirectory!, recursive: true);
    }

    [Fact]
    public async Task StartAsync_sweeps_runs_whose_owner_process_is_dead()
    {
        var root = NewRoot();
        var options = new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 0, RootDirectory = root };
        var orphan = await LocalRedisCluster.StartAsync(options);
        var orphanPid = orphan.Nodes[0].ProcessId;
        var orphanDirectory = orphan.RunDirectoryPath;

        // Pretend the run belongs to a test process that died: stamp it with the pid of an exited process.
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        await File.WriteAllTextAsync(Path.Combine(orphanDirectory, "owner.pid"), $"{gone.Id}\n");

        await using (var next = await LocalRedisCluster.StartAsync(options))
        {
            Assert.False(Directory.Exists($"/proc/{orphanPid}"), "the orphaned redis-server still runs");
            Assert.False(Directory.Exists(orphanDirectory));
            Assert.True(Directory.Exists(next.RunDirectoryPath));
            Assert.False(orphan.Nodes[0].IsAlive);
        }

        await orphan.DisposeAsync();
        Assert.Empty(Directory.EnumerateDirectories(root));
        Directory.Delete(root, recursive: true);
    }

    private static string NewRoot() => Path.Combine(Path.GetTempPath(), "keyslot-clusters-test-" + Guid.NewGuid().ToString("N")[..8]);

    private static bool IsRedisServer(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Contains("redis-server", StringComparison.Ordinal);
}
