namespace Keyslot.Tests.Configuration;

public class RoundTripTests
{
    [Theory]
    [InlineData("")]
    [InlineData("h:6379")]
    [InlineData("clustercfg.my-cache.abc123.use1.cache.amazonaws.com:6379,ssl=true,user=app,password=secret")]
    [InlineData("a:7000,b:7001,[::1]:7002,10.1.2.3:6379")]
    [InlineData("a:1,ssl=true,sslHost=cache.example.com,sslProtocols=Tls12|Tls13,checkCertificateRevocation=false")]
    [InlineData("a:1,name=orders,connectTimeout=1234,commandTimeout=4321,abortConnect=false,allowAdmin=true,keepAlive=0")]
    [InlineData("a:1,connectRetry=0,protocol=resp2,maxRedirects=0,topologyRefreshSeconds=0,minTopologyRefreshMs=0")]
    [InlineData("a:1,maxPendingPerNode=1,readFrom=lowestLatency,retryIdempotentWrites=true")]
    [InlineData("a:1,connectEagerly=true,maxBulkLength=4096,synchronousConnectionsPerNode=3")]
    [InlineData("a:1,readFrom=preferReplica,syncTimeout=100,asyncTimeout=200,tiebreaker=x,$INFO=")]
    [InlineData("redis://u:p%40ss@h:7000,h2:7001?protocol=resp2&name=x&readFrom=replica")]
    [InlineData("rediss://h")]
    public void Parse_of_ToString_gives_the_same_options_except_the_password(string configuration)
    {
        ClusterOptions original = ClusterOptions.Parse(configuration);
        string text = original.ToString();
        ClusterOptions reparsed = ClusterOptions.Parse(text);

        Assert.Equal(text, reparsed.ToString());
        Assert.Equal(original.Endpoints, reparsed.Endpoints);
        Assert.Equal(original.Password is null ? null : "*****", reparsed.Password);
        foreach (var property in typeof(ClusterOptions).GetProperties())
        {
            if (property.Name is nameof(ClusterOptions.Password) or nameof(ClusterOptions.Endpoints) or nameof(ClusterOptions.TrustedIssuers))
            {
                continue;
            }
            Assert.Equal(property.GetValue(original), property.GetValue(reparsed));
        }
    }

    [Fact]
    public void ToString_writes_only_non_default_settings_after_the_endpoints()
    {
        var options = new ClusterOptions { Ssl = true, Protocol = RespProtocolVersion.Resp2, CommandTimeout = TimeSpan.FromMilliseconds(750) };
        options.Endpoints.Add(new NodeEndpoint("::1", 7000));
        options.Endpoints.Add(new NodeEndpoint("b", 7001));

        Assert.Equal("[::1]:7000,b:7001,ssl=true,commandTimeout=750,protocol=resp2", options.ToString());
    }
}
