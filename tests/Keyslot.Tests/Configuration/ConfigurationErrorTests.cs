namespace Keyslot.Tests.Configuration;

public class ConfigurationErrorTests
{
    [Fact]
    public void Unknown_key_error_names_the_key_and_lists_accepted_keys()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("h:1,sslHots=x.example.com"));

        Assert.Contains("'sslHots'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("x.example.com", error.Message, StringComparison.Ordinal);
        foreach (string key in new[]
        {
            "abortConnect", "allowAdmin", "asyncTimeout", "checkCertificateRevocation", "commandTimeout", "connectRetry",
            "connectTimeout", "defaultDatabase", "keepAlive", "maxPendingPerNode", "maxRedirects", "minTopologyRefreshMs",
            "name", "password", "protocol", "readFrom", "responseTimeout", "retryIdempotentWrites", "ssl", "sslHost",
            "sslProtocols", "syncTimeout", "topologyRefreshSeconds", "user",
        })
        {
            Assert.Contains(key, error.Message, StringComparison.Ordinal);
        }
        Assert.Equal("configuration", error.ParamName);
    }

    public static TheoryData<string, string, string> MalformedValues => new()
    {
        { "connectTimeout=abc", "connectTimeout", "whole number" },
        { "connectTimeout=0", "connectTimeout", "at least 1" },
        { "connectTimeout=-5", "connectTimeout", "whole number" },
        { "connectTimeout=1.5", "connectTimeout", "whole number" },
        { "connectTimeout=99999999999", "connectTimeout", "whole number" },
        { "commandTimeout=", "commandTimeout", "whole number" },
        { "syncTimeout=soon", "syncTimeout", "whole number" },
        { "asyncTimeout=0", "asyncTimeout", "whole number" },
        { "ssl=maybe", "ssl", "true or false" },
        { "ssl=2", "ssl", "true or false" },
        { "abortConnect=", "abortConnect", "true or false" },
        { "allowAdmin=yes", "allowAdmin", "true or false" },
        { "checkCertificateRevocation=no", "checkCertificateRevocation", "true or false" },
        { "retryIdempotentWrites=on", "retryIdempotentWrites", "true or false" },
        { "connectRetry=-1", "connectRetry", "at least 0" },
        { "keepAlive=-1", "keepAlive", "from 0" },
        { "keepAlive=9999999", "keepAlive", "from 0" },
        { "maxRedirects=many", "maxRedirects", "at least 0" },
        { "topologyRefreshSeconds=-1", "topologyRefreshSeconds", "from 0" },
        { "minTopologyRefreshMs=x", "minTopologyRefreshMs", "at least 0" },
        { "maxPendingPerNode=0", "maxPendingPerNode", "at least 1" },
        { "synchronousConnectionsPerNode=0", "synchronousConnectionsPerNode", "from 1 to 1000" },
        { "maxBulkLength=0", "maxBulkLength", "from 1 to" },
        { "connectEagerly=maybe", "connectEagerly", "true or false" },
        { "protocol=resp4", "protocol", "resp2, resp3, 2 or 3" },
        { "protocol=", "protocol", "resp2" },
        { "readFrom=any", "readFrom", "preferReplica" },
        { "readFrom=1", "readFrom", "lowestLatency" },
        { "sslProtocols=Tls14", "sslProtocols", "Tls12|Tls13" },
        { "sslProtocols=12", "sslProtocols", "Tls12|Tls13" },
        { "sslProtocols=Tls12|", "sslProtocols", "Tls12|Tls13" },
        { "defaultDatabase=zero", "defaultDatabase", "expected 0" },
        { "proxy=haproxy", "proxy", "None" },
    };

    [Theory]
    [MemberData(nameof(MalformedValues))]
    public void Malformed_value_error_names_the_key_value_and_expectation(string setting, string key, string expectation)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("h:1," + setting));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectation, error.Message, StringComparison.Ordinal);
        string value = setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..];
        Assert.Contains($"'{value.Trim()}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host:70000", "host:70000", "port")]
    [InlineData("host:0", "host:0", "port")]
    [InlineData("host:abc", "host:abc", "port")]
    [InlineData("[::1", "[::1", "]")]
    [InlineData("2001:db8::1:6379:x", "2001:db8::1:6379:x", "[address]:port")]
    public void Malformed_endpoint_error_quotes_it_when_there_is_no_password(string endpoint, string quoted, string reason)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("ok:1," + endpoint + ",ssl=true"));
        Assert.Contains($"'{quoted}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultDatabase_other_than_zero_is_rejected_with_the_reason()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("h:1,defaultDatabase=1"));
        Assert.Contains("defaultDatabase=1", error.Message, StringComparison.Ordinal);
        Assert.Contains("only database 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceName_is_rejected_because_Sentinel_is_not_cluster_mode()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("sentinel:26379,serviceName=mymaster"));
        Assert.Contains("serviceName", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sentinel", error.Message, StringComparison.Ordinal);
        Assert.Contains("cluster", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("proxy=Twemproxy")]
    [InlineData("proxy=envoyproxy")]
    public void Proxies_are_rejected_because_Keyslot_is_for_cluster_mode(string setting)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("h:1," + setting));
        Assert.Contains("proxy=", error.Message, StringComparison.Ordinal);
        Assert.Contains("cluster mode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tunnel_is_rejected()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("h:1,tunnel=http:proxy:8080"));
        Assert.Contains("tunnel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_without_a_key_is_rejected()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("h:1,=value"));
        Assert.Contains("key=value", error.Message, StringComparison.Ordinal);
    }
}
