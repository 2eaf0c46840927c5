using System.Text;
using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.Resilience;

/// <summary>
/// Un-awaited commands issued in sequence on one thread reach the server in that order, on every path: an established
/// connection, one still being opened, one re-opened after the server dropped it, and across a failover. APPEND shows
/// the order the server applied them in; a run of SETs shows that the last one wins. Each test has its own cluster.
/// </summary>
public sealed class OrderingTests : IAsyncLifetime
{
    private const int Count = 1000;
    private readonly ITestOutputHelper _output;
    private LocalRedisCluster _cluster = null!;

    public OrderingTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { NodeTimeoutMilliseconds = 2000 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>Issues APPEND key "i," for i in 0..count-1 and SET last-key v0..v(count-1), none awaited until all are issued.</summary>
    private static (Task<long>[] Appends, Task<bool>[] Sets) IssueInSequence(ClusterClient client, string appendKey, string setKey, int count)
    {
        var appends = new Task<long>[count];
        var sets = new Task<bool>[count];
        for (int i = 0; i < count; i++)
        {
            appends[i] = client.StringAppendAsync(appendKey, i + ",").AsTask();
            sets[i] = client.StringSetAsync(setKey, "v" + i).AsTask();
        }
        return (appends, sets);
    }

    /// <summary>
    /// As <see cref="IssueInSequence"/>, but paced (a short pause every 25 commands): some are issued while the
    /// connection is being made, some just after it is back, while the ones that waited are still being sent.
    /// </summary>
    private static async Task<(Task<long>[] Appends, Task<bool>[] Sets)> IssuePacedAsync(ClusterClient client, string appendKey, string setKey, int count)
    {
        var appends = new Task<long>[count];
        var sets = new Task<bool>[count];
        for (int i = 0; i < count; i++)
        {
            appends[i] = client.StringAppendAsync(appendKey, i + ",").AsTask();
            sets[i] = client.StringSetAsync(setKey, "v" + i).AsTask();
            if (i % 25 == 24) await Task.Delay(1);
        }
        return (appends, sets);
    }

    /// <summary>
    /// What the server holds must be exactly the appends that succeeded, in issue order (one that failed with "may
    /// have been applied" on a dropped connection was not, since the server closed the connection before reading it),
    /// and the SET key must hold the last SET that succeeded.
    /// </summary>
    private async Task AssertAppliedInOrderAsync(string appendKey, string setKey, Task<long>[] appends, Task<bool>[] sets, int minimumSucceeded)
    {
        try
        {
            await Task.WhenAll(appends.Concat<Task>(sets));
        }
        catch (RedisConnectionException)
        {
            // Some may fail on the dropped connection; each one's outcome is checked below.
        }
        var expected = new StringBuilder();
        int succeeded = 0;
        for (int i = 0; i < appends.Length; i++)
        {
            if (appends[i].IsCompletedSuccessfully)
            {
                expected.Append(i).Append(',');
                succeeded++;
            }
            else
            {
                var error = Assert.IsType<RedisConnectionException>(appends[i].Exception!.InnerException);
                Assert.True(error.MayHaveBeenApplied, error.Message);
            }
        }
        _output.WriteLine($"{succeeded} of {appends.Length} appends succeeded");
        Assert.InRange(succeeded, minimumSucceeded, appends.Length);
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(appendKey));
        Assert.Equal(expected.ToString(), await _cluster.ExecuteAsync(owner, "GET", appendKey));
        int lastSet = Array.FindLastIndex(sets, t => t.IsCompletedSuccessfully);
        Assert.True(lastSet >= 0);
        Assert.Equal("v" + lastSet, await _cluster.ExecuteAsync(owner, "GET", setKey));
    }

    [Fact]
    public async Task On_an_established_connection_commands_are_applied_in_issue_order()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        await client.StringSetAsync("{order}warm", "up");
        var (appends, sets) = IssueInSequence(client, "{order}a", "{order}s", Count);
        await AssertAppliedInOrderAsync("{order}a", "{order}s", appends, sets, Count);
    }

    [Fact]
    public async Task While_the_first_slot_map_and_connection_are_being_made_commands_are_applied_in_issue_order()
    {
        // Create returns at once and connects in the background: every command below waits for the map and the
        // node's connection, and all of them must still go out in the order they were issued.
        await using var client = ClusterClient.Create(ClusterOptions.Parse(_cluster.ConfigurationString + ",commandTimeout=10000"));
        var (appends, sets) = IssueInSequence(client, "{order-new}a", "{order-new}s", Count);
        await AssertAppliedInOrderAsync("{order-new}a", "{order-new}s", appends, sets, Count);
    }

    [Fact]
    public async Task While_a_dropped_connection_is_being_reopened_commands_are_applied_in_issue_order()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",name=order-drop,commandTimeout=10000");
        for (int round = 0; round < 3; round++)
        {
            string appendKey = $"{{order-drop}}a{round}", setKey = $"{{order-drop}}s{round}";
            await client.StringSetAsync(setKey, "first");
            LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(appendKey));

            // Issued from the moment the server has closed the connection: the first may still be written to the dead
            // socket (they fail, saying they may have been applied; the server never read them), the rest wait for
            // the new connection or come just after it is up, while the ones that waited are still being sent.
            await KillClientConnectionsAsync(owner, "order-drop");
            var (appends, sets) = await IssuePacedAsync(client, appendKey, setKey, Count);
            await AssertAppliedInOrderAsync(appendKey, setKey, appends, sets, Count / 2);
        }
    }

    [Fact]
    public async Task Across_a_failover_of_the_keys_shard_commands_are_applied_in_issue_order()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=20000");
        const string appendKey = "{order-fo}a", setKey = "{order-fo}s";
        await client.StringSetAsync(setKey, "first");
        LocalRedisNode victim = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(appendKey));
        var node = new NodeEndpoint(victim.Host, victim.Port);

        _cluster.Kill(victim);
        await WaitUntilAsync(() => client.Router.GetConnector(node).Current is null, TimeSpan.FromSeconds(5));
        // Issued while the shard has no primary: they wait (reconnect attempts fail, the map changes) and must reach
        // the promoted replica in the order they were issued.
        var (appends, sets) = IssueInSequence(client, appendKey, setKey, 300);
        LocalRedisNode promoted = await _cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(30));
        _output.WriteLine($"promoted {promoted.Endpoint}; {client.Router.WaitingCount} operations still waiting");
        await AssertAppliedInOrderAsync(appendKey, setKey, appends, sets, 300);
        Assert.Equal(promoted.Endpoint, (await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(appendKey))).Endpoint);
    }

    /// <summary>CLIENT KILL of every connection named <paramref name="name"/> on the node (the server closes them).</summary>
    private async Task KillClientConnectionsAsync(LocalRedisNode node, string name)
    {
        string list = await _cluster.ExecuteAsync(node, "CLIENT", "LIST");
        int killed = 0;
        foreach (string line in list.Split('\n'))
        {
            if (!line.Contains(" name=" + name + " ", StringComparison.Ordinal)) continue;
            string id = line.Split(' ').First(f => f.StartsWith("id=", StringComparison.Ordinal))[3..];
            await _cluster.ExecuteAsync(node, "CLIENT", "KILL", "ID", id);
            killed++;
        }
        Assert.True(killed > 0, "no connection named " + name + " on " + node.Endpoint);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < timeout, "the condition did not hold within " + timeout);
            await Task.Delay(10);
        }
    }
}
