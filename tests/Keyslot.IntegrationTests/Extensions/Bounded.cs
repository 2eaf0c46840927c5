using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Extensions;

/// <summary>Helpers shared by the extension tests: closed ports, bounded polls, the servers' client lists.</summary>
internal static class Bounded
{
    /// <summary>The slack allowed over a timeout that a call promised to respect (a bound on a busy 2-core machine, not a performance target).</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(750);

    /// <summary>A loopback port where nothing listens: connects are refused at once.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Asserts that <paramref name="elapsed"/> stayed within <paramref name="timeout"/> plus <see cref="Slack"/>.</summary>
    public static void WithinTimeout(TimeSpan elapsed, TimeSpan timeout, string what) =>
        Assert.True(elapsed < timeout + Slack, $"{what} took {elapsed.TotalMilliseconds:0} ms, past its {timeout.TotalMilliseconds:0} ms timeout");

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; fails after <paramref name="bound"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan bound, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < bound, $"{what} did not happen within {bound.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }

    /// <summary>How many connections named <paramref name="clientName"/> the cluster's live nodes list in CLIENT LIST.</summary>
    public static async Task<int> ConnectionsNamedAsync(LocalRedisCluster cluster, string clientName)
    {
        int count = 0;
        foreach (LocalRedisNode node in cluster.Nodes.Where(n => n.IsAlive))
        {
            string list = await cluster.ExecuteAsync(node, "CLIENT", "LIST");
            count += list.Split('\n').Count(line => line.Contains($" name={clientName} ", StringComparison.Ordinal));
        }
        return count;
    }

    /// <summary>Awaits <paramref name="task"/> at most <paramref name="bound"/>, failing with <paramref name="what"/>.</summary>
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan bound, string what)
    {
        try
        {
            return await task.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} did not happen within {bound.TotalSeconds:0} s");
            throw;
        }
    }
}
