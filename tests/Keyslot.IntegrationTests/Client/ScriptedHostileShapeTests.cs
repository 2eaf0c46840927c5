using System.Diagnostics;
using System.Text;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Reply shapes whose parsing used to cost quadratic time, and replies over the default limits, sent by a scripted
/// fake node (issue 16): the client gets the reply or a RespProtocolException naming the problem, in bounded time
/// and memory. The time bounds are generous sanity bounds against a hang, not measurements; the linear-work proof is
/// in the unit tests' counters (tests/Keyslot.Tests/Protocol/LinearWorkTests.cs).
/// </summary>
public sealed class ScriptedHostileShapeTests
{
    private const string Options = ",commandTimeout=20000,connectRetry=1,topologyRefreshSeconds=0";

    private static string NestedStreamed(int depth)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < depth; i++) sb.Append("*?\r\n:1\r\n");
        sb.Append(":0\r\n");
        for (int i = 0; i < depth; i++) sb.Append(":2\r\n.\r\n");
        return sb.ToString();
    }

    [Fact]
    public async Task Streamed_aggregates_nested_to_the_depth_limit_are_read()
    {
        // 63 levels: the deepest the default MaxDepth (64) allows; each level holds 1,000 more elements.
        var sb = new StringBuilder();
        string leaves = string.Concat(Enumerable.Repeat(":7\r\n", 1000));
        for (int i = 0; i < 63; i++) sb.Append("*?\r\n").Append(leaves);
        for (int i = 0; i < 63; i++) sb.Append(".\r\n");
        string reply = sb.ToString();
        await using var node = FakeRedisNode.Start(c => c[0] == "NESTED" ? FakeRedisNode.Trickled(512, reply) : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);

        RespValue value = await client.ExecuteAsync("NESTED");
        int depth = 0;
        while (true)
        {
            depth++;
            Assert.Equal(7, value[0].AsInt64());
            if (value.Count == 1000) break;
            Assert.Equal(1001, value.Count);
            value = value[1000];
        }
        Assert.Equal(63, depth);
    }

    [Fact]
    public async Task Streamed_aggregates_nested_past_the_depth_limit_fail_with_a_protocol_error()
    {
        await using var node = FakeRedisNode.Start(c => c[0] == "NESTED" ? NestedStreamed(1000) : c[0] == "GET" ? FakeRedisNode.Bulk("fine") : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        var error = await Assert.ThrowsAsync<RespProtocolException>(async () => await client.ExecuteAsync("NESTED"));
        Assert.Contains("MaxDepth (64)", error.Message, StringComparison.Ordinal);
        Assert.Equal("fine", await client.StringGetAsync("k"));
    }

    [Fact]
    public async Task A_reply_behind_100_000_attributes_arriving_in_pieces_is_read()
    {
        string attributes = string.Concat(Enumerable.Repeat("|1\r\n+key\r\n+value\r\n", 100_000));
        await using var node = FakeRedisNode.Start(c => c[0] == "GET" ? FakeRedisNode.Trickled(256, attributes + FakeRedisNode.Bulk("the-value")) : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        var watch = Stopwatch.StartNew();
        Assert.Equal("the-value", await client.StringGetAsync("k"));
        RespValue raw = await client.ExecuteAsync("GET", "k");
        Assert.Equal("the-value", raw.AsString());
        Assert.Equal(200_000, raw.Attributes!.Value.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_long_simple_string_arriving_in_small_pieces_is_read()
    {
        string line = new('s', 4 * 1024 * 1024); // 4 MiB in 64-byte writes: 65,536 pieces
        await using var node = FakeRedisNode.Start(c => c[0] == "STATUS" ? FakeRedisNode.Trickled(64, "+" + line + "\r\n") : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        var watch = Stopwatch.StartNew();
        RespValue value = await client.ExecuteAsync("STATUS");
        Assert.Equal(RespType.SimpleString, value.Type);
        Assert.Equal(line.Length, value.AsBytes()!.Length);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_simple_string_with_no_end_fails_at_MaxBulkLength_without_buffering_past_it()
    {
        // 3 MiB of a line that never ends against a 1 MiB limit: the connection gives up at the limit, not when the
        // line (or memory) ends. The default limit works the same at 64 MiB.
        string reply = "+" + new string('z', 3 * 1024 * 1024);
        await using var node = FakeRedisNode.Start(c => c[0] == "STATUS" ? reply : c[0] == "GET" ? FakeRedisNode.Bulk("fine") : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options + ",maxBulkLength=1048576");
        var error = await Assert.ThrowsAsync<RespProtocolException>(async () => await client.ExecuteAsync("STATUS"));
        Assert.Contains("longer than MaxBulkLength", error.Message, StringComparison.Ordinal);
        Assert.Equal("fine", await client.StringGetAsync("k"));
    }

    [Fact]
    public async Task A_bulk_string_over_the_default_64_MiB_limit_fails_naming_it_before_its_payload_is_buffered()
    {
        // Only the header and a few bytes are sent: waiting for the 100 MB would hang until the command timeout.
        await using var node = FakeRedisNode.Start(c => c is ["GET", "big"] ? "$100000000\r\nabc" : c[0] == "GET" ? FakeRedisNode.Bulk("fine") : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RespProtocolException>(async () => await client.StringGetAsync("big"));
        Assert.Contains("MaxBulkLength (67108864)", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal("fine", await client.StringGetAsync("k"));
    }
}
