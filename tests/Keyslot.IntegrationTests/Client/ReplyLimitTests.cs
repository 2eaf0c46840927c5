using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;

namespace Keyslot.IntegrationTests.Client;

/// <summary>The configured reply limits reach the connections (forced by a fake node sending an oversized string).</summary>
public sealed class ReplyLimitTests
{
    [Fact]
    public async Task A_bulk_string_over_maxBulkLength_fails_with_a_protocol_error_naming_the_limit()
    {
        await using var node = FakeRedisNode.Start(c => c is ["GET", "big"] ? FakeRedisNode.Bulk(new string('x', 100)) : c[0] == "GET" ? FakeRedisNode.Bulk("small") : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",maxBulkLength=64,commandTimeout=3000,topologyRefreshSeconds=0");

        var error = await Assert.ThrowsAsync<RespProtocolException>(async () => await client.StringGetAsync("big"));
        Assert.Contains("64", error.Message);
        Assert.Equal("small", await client.StringGetAsync("ok")); // a new connection serves the next command
    }
}
