namespace Keyslot.Tests.Configuration;

public class RedisUriTests
{
    [Fact]
    public void Parses_user_password_host_and_port()
    {
        ClusterOptions options = ClusterOptions.Parse("redis://user:pass@host:7000");
        Assert.Equal([new NodeEndpoint("host", 7000)], options.Endpoints);
        Assert.Equal("user", options.User);
        Assert.Equal("pass", options.Password);
        Assert.False(options.Ssl);
    }

    [Fact]
    public void Rediss_turns_on_ssl_and_defaults_to_port_6379()
    {
        ClusterOptions options = ClusterOptions.Parse("rediss://host");
        Assert.True(options.Ssl);
        Assert.Equal([new NodeEndpoint("host", 6379)], options.Endpoints);
        Assert.Null(options.User);
        Assert.Null(options.Password);
    }

    [Fact]
    public void Scheme_is_case_insensitive_and_surrounding_space_trimmed()
    {
        ClusterOptions options = ClusterOptions.Parse("  REDISS://Host:6380/  ");
        Assert.True(options.Ssl);
        Assert.Equal([new NodeEndpoint("Host", 6380)], options.Endpoints);
    }

    [Theory]
    [InlineData("redis://us%65r:p%40ss%3Aw%2Ford%25%20x@h", "user", "p@ss:w/ord% x")]
    [InlineData("redis://:only%2Bpassword@h", null, "only+password")]
    [InlineData("redis://a+b:c+d@h", "a+b", "c+d")]
    [InlineData("redis://justuser@h", "justuser", null)]
    [InlineData("redis://u:p@ss@h", "u", "p@ss")]
    [InlineData("redis://u:a:b@h", "u", "a:b")]
    [InlineData("redis://h", null, null)]
    public void User_and_password_are_percent_decoded(string uri, string? user, string? password)
    {
        ClusterOptions options = ClusterOptions.Parse(uri);
        Assert.Equal(user, options.User);
        Assert.Equal(password, options.Password);
        Assert.Equal([new NodeEndpoint("h", 6379)], options.Endpoints);
    }

    [Theory]
    [InlineData("redis://h/0")]
    [InlineData("redis://h/")]
    [InlineData("redis://h:1?defaultDatabase=0")]
    public void Database_zero_is_accepted(string uri) => Assert.Single(ClusterOptions.Parse(uri).Endpoints);

    [Theory]
    [InlineData("redis://h/1", "only database 0")]
    [InlineData("redis://h:6379/15", "only database 0")]
    [InlineData("redis://h/db", "database number")]
    [InlineData("redis://h?defaultDatabase=2", "only database 0")]
    public void Other_databases_are_rejected(string uri, string reason)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse(uri));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_parameters_are_configuration_keys()
    {
        ClusterOptions options = ClusterOptions.Parse(
            "rediss://app:pw@[::1]:7000?protocol=resp2&name=checkout&SSLHOST=cache.example.com&readFrom=preferReplica&connectTimeout=2500");

        Assert.Equal([new NodeEndpoint("::1", 7000)], options.Endpoints);
        Assert.Equal(RespProtocolVersion.Resp2, options.Protocol);
        Assert.Equal("checkout", options.ClientName);
        Assert.Equal("cache.example.com", options.SslHost);
        Assert.Equal(ReadPolicy.PreferReplica, options.ReadPolicy);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.ConnectTimeout);
        Assert.True(options.Ssl);
    }

    [Fact]
    public void Query_values_are_percent_decoded()
    {
        ClusterOptions options = ClusterOptions.Parse("redis://h?name=a%2Cb&sslProtocols=Tls12%7CTls13");
        Assert.Equal("a,b", options.ClientName);
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13, options.SslProtocols);
    }

    [Fact]
    public void Several_hosts_may_be_listed()
    {
        ClusterOptions options = ClusterOptions.Parse("redis://u:p@n1:7000,n2:7001,[::1]:7002/0");
        Assert.Equal([new NodeEndpoint("n1", 7000), new NodeEndpoint("n2", 7001), new NodeEndpoint("::1", 7002)], options.Endpoints);
    }

    [Theory]
    [InlineData("redis://h:70000", "port")]
    [InlineData("redis://", "no host")]
    [InlineData("redis://u:p@", "no host")]
    [InlineData("redis://h#frag", "fragment")]
    [InlineData("redis://h?ssl", "'ssl' has no value")]
    [InlineData("redis://h?unknownThing=1", "'unknownThing'")]
    [InlineData("rediss://h?ssl=false", "ssl=false")]
    [InlineData("redis://h?serviceName=m", "Sentinel")]
    public void Malformed_uris_are_rejected(string uri, string reason)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse(uri));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_uri_ssl_query_can_turn_tls_on()
    {
        Assert.True(ClusterOptions.Parse("redis://h?ssl=true").Ssl);
        Assert.True(ClusterOptions.Parse("rediss://h?ssl=true").Ssl);
    }
}
