namespace Keyslot.Tests.Configuration;

public class NodeEndpointTests
{
    [Theory]
    [InlineData("localhost", "localhost", 6379)]
    [InlineData("localhost:7000", "localhost", 7000)]
    [InlineData("  10.0.0.1:6380  ", "10.0.0.1", 6380)]
    [InlineData("clustercfg.my-cache.abc123.use1.cache.amazonaws.com:6379", "clustercfg.my-cache.abc123.use1.cache.amazonaws.com", 6379)]
    [InlineData("redis_node-1", "redis_node-1", 6379)]
    [InlineData("[::1]:7001", "::1", 7001)]
    [InlineData("[::1]", "::1", 6379)]
    [InlineData("::1", "::1", 6379)]
    [InlineData("[2001:db8::10]:65535", "2001:db8::10", 65535)]
    [InlineData("host:1", "host", 1)]
    public void Parses_valid_endpoints(string text, string host, int port)
    {
        NodeEndpoint endpoint = NodeEndpoint.Parse(text);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
        Assert.True(NodeEndpoint.TryParse(text, out NodeEndpoint again));
        Assert.Equal(endpoint, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("host:")]
    [InlineData(":6379")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:-1")]
    [InlineData("host:abc")]
    [InlineData("host:+80")]
    [InlineData("[::1")]
    [InlineData("[::1]6379")]
    [InlineData("[::1]:")]
    [InlineData("[localhost]:6379")]
    [InlineData("fe80:zz::1")]
    [InlineData("user@host")]
    [InlineData("host/0")]
    [InlineData("two words")]
    public void Rejects_invalid_endpoints(string text)
    {
        Assert.False(NodeEndpoint.TryParse(text, out NodeEndpoint endpoint));
        Assert.Equal(default, endpoint);
        FormatException error = Assert.Throws<FormatException>(() => NodeEndpoint.Parse(text));
        Assert.Contains("not a valid endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_null_is_false() => Assert.False(NodeEndpoint.TryParse(null, out _));

    [Fact]
    public void Parse_null_throws() => Assert.Throws<ArgumentNullException>(() => NodeEndpoint.Parse(null!));

    [Theory]
    [InlineData("localhost", "localhost:6379")]
    [InlineData("10.0.0.1:7000", "10.0.0.1:7000")]
    [InlineData("::1", "[::1]:6379")]
    [InlineData("[2001:db8::10]:7002", "[2001:db8::10]:7002")]
    public void ToString_round_trips(string text, string expected)
    {
        NodeEndpoint endpoint = NodeEndpoint.Parse(text);
        Assert.Equal(expected, endpoint.ToString());
        Assert.Equal(endpoint, NodeEndpoint.Parse(endpoint.ToString()));
    }

    [Fact]
    public void Constructor_validates_host_and_port()
    {
        Assert.ThrowsAny<ArgumentException>(() => new NodeEndpoint("", 6379));
        Assert.ThrowsAny<ArgumentException>(() => new NodeEndpoint(null!, 6379));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NodeEndpoint("h", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NodeEndpoint("h", 65536));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NodeEndpoint("h", 1) with { Port = -5 });
    }

    [Fact]
    public void Behaves_as_a_value()
    {
        var endpoint = new NodeEndpoint("h", 7000);
        (string host, int port) = endpoint;
        Assert.Equal(("h", 7000), (host, port));
        Assert.Equal(new NodeEndpoint("h", 7000), endpoint);
        Assert.NotEqual(new NodeEndpoint("h", 7001), endpoint);
        Assert.Equal(new NodeEndpoint("h", 7001), endpoint with { Port = 7001 });
        Assert.Equal(string.Empty, default(NodeEndpoint).Host);
    }
}
