using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keyslot.IntegrationTests.Credentials;

/// <summary>
/// A credential provider against real servers whose ACL passwords are rotated (ACL SETUSER on every node: the new
/// password added, the old one removed later): live connections re-authenticate without reconnecting, new ones use
/// the new password (async and synchronous commands), and a failing provider is retried or reported, never hung on.
/// </summary>
public sealed class CredentialProviderTests : IAsyncLifetime
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
    // Distinctive, so that finding one in a log cannot be a coincidence.
    private const string LatePassword1 = "late-Pw-8kQz1";
    private const string LatePassword2 = "late-Pw-3vHm2";
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        // The default user has a password too: a connection that failed to authenticate cannot pass unnoticed.
        var options = new LocalRedisClusterOptions { Primaries = 3, ReplicasPerPrimary = 0, DefaultUserPassword = "admin-secret" };
        foreach (string user in new[] { "rot", "fresh", "flaky", "broken", "subs", "di" }) options.Users.Add(new LocalRedisUser(user, user + "-1"));
        options.Users.Add(new LocalRedisUser("late", LatePassword1));
        _cluster = await LocalRedisCluster.StartAsync(options);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Rotating_the_password_under_load_reauthenticates_live_connections_with_zero_errors_and_no_reconnects()
    {
        var provider = new TestCredentialProvider("rot", "rot-1", TimeSpan.FromSeconds(3)); // refreshed every 2 s
        await using var client = await ClusterClient.ConnectAsync(provider.Options(_cluster.ConfigurationString, Margin));
        await using Admins admins = await Admins.OpenAsync(_cluster);
        for (int i = 0; i < 300; i++) await client.StringSetAsync("rot:" + i, "v"); // every primary's connection is up
        Dictionary<string, HashSet<string>> before = await admins.ConnectionIdsAsync("rot");
        Assert.True(before.Values.Sum(ids => ids.Count) >= 3, "one connection per primary at least");
        Dictionary<string, (long Calls, long Failed)> authBefore = await admins.AuthStatsAsync();

        var errors = new ConcurrentQueue<Exception>();
        long done = 0;
        var load = Stopwatch.StartNew();
        Task[] workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            int n = 0;
            while (load.Elapsed < TimeSpan.FromSeconds(5))
            {
                string key = "rot:" + (n++ * 7 + w) % 1000;
                try
                {
                    await client.StringSetAsync(key, "x" + n);
                    await client.StringGetAsync(key);
                    Interlocked.Add(ref done, 2);
                }
                catch (Exception ex)
                {
                    errors.Enqueue(ex);
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1));
        await admins.OnEveryNodeAsync("ACL", "SETUSER", "rot", ">rot-2");
        provider.Password = "rot-2";
        await WaitUntilAsync(() => provider.ServedCurrent, TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the re-authentication round that follows the refresh
        await admins.OnEveryNodeAsync("ACL", "SETUSER", "rot", "<rot-1");
        await Task.WhenAll(workers);

        Assert.Empty(errors);
        Assert.True(done > 0);
        // Every live connection was re-authenticated (AUTH on it), none refused, and none was replaced.
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // one more refresh, now with only rot-2 accepted
        Dictionary<string, (long Calls, long Failed)> authAfter = await admins.AuthStatsAsync();
        foreach ((string node, HashSet<string> ids) in before)
        {
            Assert.True(authAfter[node].Calls - authBefore[node].Calls >= ids.Count, $"{node}: {authAfter[node].Calls - authBefore[node].Calls} AUTH for {ids.Count} connections");
            Assert.Equal(authBefore[node].Failed, authAfter[node].Failed);
        }
        Assert.Equal(Flatten(before), Flatten(await admins.ConnectionIdsAsync("rot")));
    }

    [Fact]
    public async Task After_the_old_password_is_removed_new_connections_authenticate_with_the_new_one_for_async_and_synchronous_commands()
    {
        var provider = new TestCredentialProvider("fresh", "fresh-1", TimeSpan.FromSeconds(3));
        await using var client = await ClusterClient.ConnectAsync(provider.Options(_cluster.ConfigurationString, Margin));
        await using Admins admins = await Admins.OpenAsync(_cluster);
        await client.StringSetAsync("fresh:a", "1");
        Assert.True(client.StringSet("fresh:s", "1")); // the synchronous pool has a connection made with fresh-1
        Dictionary<string, HashSet<string>> before = await admins.ConnectionIdsAsync("fresh");

        await admins.OnEveryNodeAsync("ACL", "SETUSER", "fresh", ">fresh-2");
        provider.Password = "fresh-2";
        await WaitUntilAsync(() => provider.ServedCurrent, TimeSpan.FromSeconds(5));
        await admins.OnEveryNodeAsync("ACL", "SETUSER", "fresh", "<fresh-1");

        // The idle synchronous connection takes the new credential on its next use (AUTH on it, not a new connection).
        Assert.Equal("1", client.StringGet("fresh:s"));
        Assert.Equal(Flatten(before), Flatten(await admins.ConnectionIdsAsync("fresh")));

        // Every connection of the client is cut: all that replace them must log in with fresh-2, the only one left.
        await admins.OnEveryNodeAsync("CLIENT", "KILL", "USER", "fresh");
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // the client sees its connections closed

        Assert.Equal("1", await RetryReadAsync(() => client.StringGetAsync("fresh:a")));
        await client.StringSetAsync("fresh:a", "2");
        Assert.Equal("2", await client.StringGetAsync("fresh:a"));
        Assert.Equal("1", client.StringGet("fresh:s"));
        Assert.True(client.StringSet("fresh:s", "3"));
        Assert.Equal("3", client.Execute("GET", "fresh:s").AsString());
        Assert.NotEmpty(Flatten(await admins.ConnectionIdsAsync("fresh")));
    }

    [Fact]
    public async Task A_refused_reauthentication_is_logged_and_retried_while_commands_keep_flowing()
    {
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory factory = logs.CreateFactory();
        var provider = new TestCredentialProvider("late", LatePassword1, TimeSpan.FromSeconds(3));
        ClusterOptions options = provider.Options(_cluster.ConfigurationString, Margin);
        options.LoggerFactory = factory;
        await using var client = await ClusterClient.ConnectAsync(options);
        await using Admins admins = await Admins.OpenAsync(_cluster);
        for (int i = 0; i < 100; i++) await client.StringSetAsync("late:" + i, "v");
        Dictionary<string, HashSet<string>> connections = await admins.ConnectionIdsAsync("late");

        // The provider hands out a password the servers do not know yet (a rotation done in the wrong order).
        provider.Password = LatePassword2;
        CapturedLog refused = await logs.WaitForAsync(e => e.EventId.Id == 50, TimeSpan.FromSeconds(10));
        Assert.Contains("WRONGPASS", refused.Message, StringComparison.Ordinal);
        for (int i = 0; i < 100; i++) Assert.Equal("v", await client.StringGetAsync("late:" + i)); // still logged in with the old one

        // Once the servers accept it, the retries (or the next refresh) get through: AUTH succeeds, none fails any more.
        await admins.OnEveryNodeAsync("ACL", "SETUSER", "late", ">" + LatePassword2);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Dictionary<string, (long Calls, long Failed)> settled = await admins.AuthStatsAsync();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // at least one more refresh and its re-authentication round
        Dictionary<string, (long Calls, long Failed)> later = await admins.AuthStatsAsync();
        foreach ((string node, HashSet<string> ids) in connections)
        {
            Assert.Equal(settled[node].Failed, later[node].Failed);
            Assert.True(later[node].Calls - settled[node].Calls >= ids.Count, $"{node}: the connections were re-authenticated");
        }
        Assert.Equal(Flatten(connections), Flatten(await admins.ConnectionIdsAsync("late"))); // nothing reconnected
        foreach (CapturedLog entry in logs.Entries)
        {
            Assert.DoesNotContain(LatePassword1, entry.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain(LatePassword2, entry.AllText, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("2")] // in RESP2's subscribed state the server refuses AUTH: the connection is left as it is
    [InlineData("3")]
    public async Task A_subscriber_keeps_its_login_across_a_rotation_and_resubscribes_with_the_new_password_after_a_cut(string protocol)
    {
        string user = "subs";
        string old = protocol == "2" ? "subs-1" : "subs-3"; // each run rotates from a password of its own
        await using Admins admins = await Admins.OpenAsync(_cluster);
        await admins.OnEveryNodeAsync("ACL", "SETUSER", user, "resetpass", ">" + old);
        var provider = new TestCredentialProvider(user, old, TimeSpan.FromSeconds(3));
        await using var client = await ClusterClient.ConnectAsync(provider.Options(_cluster.ConfigurationString + ",protocol=" + protocol, Margin));
        var received = new ConcurrentQueue<string>();
        await using ChannelSubscription subscription = await client.SubscribeAsync("subs:news", m => received.Enqueue(m.Message));

        string next = old + "-next";
        await admins.OnEveryNodeAsync("ACL", "SETUSER", user, ">" + next);
        provider.Password = next;
        await WaitUntilAsync(() => provider.ServedCurrent, TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await admins.OnEveryNodeAsync("ACL", "SETUSER", user, "<" + old);
        await PublishUntilReceivedAsync(client, received, "after-rotation");

        await admins.OnEveryNodeAsync("CLIENT", "KILL", "USER", user); // the subscriber included: it must log in with the new one
        await PublishUntilReceivedAsync(client, received, "after-cut");
    }

    private static async Task PublishUntilReceivedAsync(ClusterClient client, ConcurrentQueue<string> received, string message)
    {
        var watch = Stopwatch.StartNew();
        while (!received.Contains(message))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"'{message}' never arrived");
            try
            {
                await client.PublishAsync("subs:news", message);
            }
            catch (RedisConnectionException)
            {
                // the publishing connection was cut too; it comes back
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Dependency_injection_takes_a_provider_through_Configure()
    {
        var provider = new TestCredentialProvider("di", "di-1", TimeSpan.FromSeconds(3));
        await using Admins admins = await Admins.OpenAsync(_cluster);
        string nodes = string.Join(',', _cluster.Nodes.Select(n => n.Endpoint)); // no password: the provider gives it
        await using ServiceProvider services = new ServiceCollection().AddLogging()
            .AddKeyslot(o =>
            {
                o.Configuration = nodes;
                o.Configure = options => options.CredentialProvider = provider.GetAsync;
            })
            .BuildServiceProvider();
        IClusterClient client = services.GetRequiredService<IClusterClient>();
        await client.WhenConnectedAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await client.StringSetAsync("di:k", "v");
        Assert.Equal("v", await client.StringGetAsync("di:k"));
        Assert.True(provider.Calls >= 1);
        Assert.NotEmpty(Flatten(await admins.ConnectionIdsAsync("di")));
    }

    [Fact]
    public async Task A_provider_that_fails_once_is_asked_again_and_the_client_recovers()
    {
        var provider = new TestCredentialProvider("flaky", "flaky-1", TimeSpan.FromSeconds(3));
        provider.FailingCalls.Add(1); // the first connect
        provider.FailingCalls.Add(3); // a background refresh
        await using var client = await ClusterClient.ConnectAsync(provider.Options(_cluster.ConfigurationString, Margin));
        await client.StringSetAsync("flaky:k", "1");
        Assert.True(provider.Calls >= 2);

        // The refresh that fails is retried with backoff; commands keep flowing meanwhile.
        var watch = Stopwatch.StartNew();
        while (provider.Calls < 4 && watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            Assert.Equal("1", await client.StringGetAsync("flaky:k"));
            await Task.Delay(50);
        }
        Assert.True(provider.Calls >= 4, $"the provider was asked {provider.Calls} times");

        // New connections after the failure authenticate.
        await using Admins admins = await Admins.OpenAsync(_cluster);
        await admins.OnEveryNodeAsync("CLIENT", "KILL", "USER", "flaky");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal("1", await RetryReadAsync(() => client.StringGetAsync("flaky:k")));
        Assert.Equal("1", client.StringGet("flaky:k"));
    }

    [Fact]
    public async Task A_provider_that_always_fails_gives_a_typed_error_naming_the_provider()
    {
        var provider = new TestCredentialProvider("broken", "broken-1", TimeSpan.FromSeconds(3)) { AlwaysFail = true };
        ClusterOptions options = provider.Options(_cluster.ConfigurationString, Margin);
        var error = await Assert.ThrowsAnyAsync<RedisConnectionException>(() => ClusterClient.ConnectAsync(options).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("credential provider failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("token service down", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("broken-1", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A read right after the client's connections were killed may meet a connection not yet seen closed; reads go again, this waits for that.</summary>
    private static async Task<string?> RetryReadAsync(Func<ValueTask<string?>> read)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (RedisConnectionException) when (attempt < 3)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(20);
        }
    }

    private static SortedSet<string> Flatten(Dictionary<string, HashSet<string>> ids) => [.. ids.SelectMany(e => e.Value.Select(id => e.Key + "/" + id))];

    /// <summary>One connection of the default user per node, opened before anything is measured (so it counts in nothing measured).</summary>
    private sealed class Admins : IAsyncDisposable
    {
        private readonly List<(LocalRedisNode Node, LocalRedisConnection Connection)> _connections;

        private Admins(List<(LocalRedisNode, LocalRedisConnection)> connections) => _connections = connections;

        public static async Task<Admins> OpenAsync(LocalRedisCluster cluster)
        {
            var connections = new List<(LocalRedisNode, LocalRedisConnection)>();
            foreach (LocalRedisNode node in cluster.Nodes) connections.Add((node, await cluster.ConnectAsync(node)));
            return new Admins(connections);
        }

        /// <summary>ACL is per node in a cluster: a rotation is applied to each.</summary>
        public async Task OnEveryNodeAsync(params string[] args)
        {
            foreach ((_, LocalRedisConnection connection) in _connections) await connection.ExecuteAsync(args);
        }

        /// <summary>Per node, the ids of the connections logged in as <paramref name="user"/>.</summary>
        public async Task<Dictionary<string, HashSet<string>>> ConnectionIdsAsync(string user)
        {
            var ids = new Dictionary<string, HashSet<string>>();
            foreach ((LocalRedisNode node, LocalRedisConnection connection) in _connections)
            {
                string list = await connection.ExecuteAsync("CLIENT", "LIST");
                ids[node.Endpoint] = [.. list.Split('\n').Where(line => line.Contains(" user=" + user + " ", StringComparison.Ordinal))
                    .Select(line => line.Split(' ')[0])];
            }
            return ids;
        }

        /// <summary>Per node, how many AUTH commands ran and how many of them failed (INFO commandstats).</summary>
        public async Task<Dictionary<string, (long Calls, long Failed)>> AuthStatsAsync()
        {
            var stats = new Dictionary<string, (long, long)>();
            foreach ((LocalRedisNode node, LocalRedisConnection connection) in _connections)
            {
                string info = await connection.ExecuteAsync("INFO", "commandstats");
                string? line = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("cmdstat_auth:", StringComparison.Ordinal));
                stats[node.Endpoint] = line is null ? (0, 0) : (Field(line, "calls"), Field(line, "failed_calls") + Field(line, "rejected_calls"));
            }
            return stats;
        }

        private static long Field(string line, string name)
        {
            foreach (string part in line["cmdstat_auth:".Length..].Split(','))
            {
                string[] kv = part.Split('=');
                if (kv[0] == name) return long.Parse(kv[1], CultureInfo.InvariantCulture);
            }
            return 0;
        }

        public async ValueTask DisposeAsync()
        {
            foreach ((_, LocalRedisConnection connection) in _connections) await connection.DisposeAsync();
        }
    }
}
