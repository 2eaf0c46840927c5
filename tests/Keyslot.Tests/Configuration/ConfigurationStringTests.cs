using System.Globalization;
using System.Reflection;
using System.Security.Authentication;

namespace Keyslot.Tests.Configuration;

public class ConfigurationStringTests
{
    [Fact]
    public void Parses_an_ElastiCache_configuration_endpoint_string()
    {
        ClusterOptions options = ClusterOptions.Parse(
            "clustercfg.my-cache.abc123.use1.cache.amazonaws.com:6379,ssl=true,user=app,password=secret");

        Assert.Equal([new NodeEndpoint("clustercfg.my-cache.abc123.use1.cache.amazonaws.com", 6379)], options.Endpoints);
        Assert.True(options.Ssl);
        Assert.Equal("app", options.User);
        Assert.Equal("secret", options.Password);
        options.Validate();
    }

    [Fact]
    public void Defaults_match_the_documented_values()
    {
        var options = new ClusterOptions();
        Assert.Empty(options.Endpoints);
        Assert.False(options.Ssl);
        Assert.Null(options.SslHost);
        Assert.Equal(SslProtocols.None, options.SslProtocols);
        Assert.True(options.CheckCertificateRevocation);
        Assert.Null(options.CertificateValidation);
        Assert.Empty(options.TrustedIssuers);
        Assert.Null(options.User);
        Assert.Null(options.Password);
        Assert.Null(options.ClientName);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CommandTimeout);
        Assert.True(options.AbortOnConnectFail);
        Assert.False(options.AllowAdmin);
        Assert.Equal(TimeSpan.FromSeconds(60), options.KeepAlive);
        Assert.Equal(3, options.ConnectRetry);
        Assert.Equal(RespProtocolVersion.Resp3, options.Protocol);
        Assert.Equal(5, options.MaxRedirects);
        Assert.Equal(TimeSpan.FromSeconds(60), options.TopologyRefreshInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.MinTopologyRefreshInterval);
        Assert.Equal(100_000, options.MaxPendingCommandsPerNode);
        Assert.Equal(ReadPolicy.Primary, options.ReadPolicy);
        Assert.False(options.RetryIdempotentWrites);
        Assert.Null(options.LoggerFactory);
        Assert.Equal(3, (int)RespProtocolVersion.Resp3);
        Assert.Equal(2, (int)RespProtocolVersion.Resp2);
    }

    [Fact]
    public void Parses_multiple_endpoints_in_order_with_default_port_and_IPv6()
    {
        ClusterOptions options = ClusterOptions.Parse(" node-a:7000 , node-b ,, 10.0.0.3:7002,[::1]:7003,::2, ssl=true,");

        Assert.Equal(
            [
                new NodeEndpoint("node-a", 7000),
                new NodeEndpoint("node-b", 6379),
                new NodeEndpoint("10.0.0.3", 7002),
                new NodeEndpoint("::1", 7003),
                new NodeEndpoint("::2", 6379),
            ],
            options.Endpoints);
    }

    [Fact]
    public void Default_port_is_6379_even_with_ssl()
    {
        ClusterOptions options = ClusterOptions.Parse("secure-host,ssl=true");
        Assert.Equal(6379, Assert.Single(options.Endpoints).Port);
    }

    [Fact]
    public void Duplicate_endpoints_are_kept_once()
    {
        ClusterOptions options = ClusterOptions.Parse("a:1,b:2,A:1,a:1,a:2");
        Assert.Equal([new NodeEndpoint("a", 1), new NodeEndpoint("b", 2), new NodeEndpoint("a", 2)], options.Endpoints);
    }

    public static TheoryData<string, string, string> EveryKey => new()
    {
        { "abortConnect=false", nameof(ClusterOptions.AbortOnConnectFail), "False" },
        { "allowAdmin=true", nameof(ClusterOptions.AllowAdmin), "True" },
        { "asyncTimeout=1500", nameof(ClusterOptions.CommandTimeout), "00:00:01.5000000" },
        { "syncTimeout=2500", nameof(ClusterOptions.CommandTimeout), "00:00:02.5000000" },
        { "timeout=3500", nameof(ClusterOptions.CommandTimeout), "00:00:03.5000000" },
        { "responseTimeout=4500", nameof(ClusterOptions.CommandTimeout), "00:00:04.5000000" },
        { "commandTimeout=250", nameof(ClusterOptions.CommandTimeout), "00:00:00.2500000" },
        { "checkCertificateRevocation=false", nameof(ClusterOptions.CheckCertificateRevocation), "False" },
        { "connectRetry=0", nameof(ClusterOptions.ConnectRetry), "0" },
        { "connectRetry=7", nameof(ClusterOptions.ConnectRetry), "7" },
        { "connectTimeout=12000", nameof(ClusterOptions.ConnectTimeout), "00:00:12" },
        { "keepAlive=30", nameof(ClusterOptions.KeepAlive), "00:00:30" },
        { "keepAlive=0", nameof(ClusterOptions.KeepAlive), "00:00:00" },
        { "name=orders-api", nameof(ClusterOptions.ClientName), "orders-api" },
        { "password=p=ss=word", nameof(ClusterOptions.Password), "p=ss=word" },
        { "user=app", nameof(ClusterOptions.User), "app" },
        { "ssl=true", nameof(ClusterOptions.Ssl), "True" },
        { "sslHost=cache.example.com", nameof(ClusterOptions.SslHost), "cache.example.com" },
        { "sslProtocols=Tls12", nameof(ClusterOptions.SslProtocols), "Tls12" },
        { "sslProtocols=Tls12|Tls13", nameof(ClusterOptions.SslProtocols), "Tls12, Tls13" },
        { "sslProtocols= tls13 | tls12 ", nameof(ClusterOptions.SslProtocols), "Tls12, Tls13" },
        { "sslProtocols=None", nameof(ClusterOptions.SslProtocols), "None" },
        { "protocol=resp2", nameof(ClusterOptions.Protocol), "Resp2" },
        { "protocol=RESP3", nameof(ClusterOptions.Protocol), "Resp3" },
        { "protocol=2", nameof(ClusterOptions.Protocol), "Resp2" },
        { "protocol=3", nameof(ClusterOptions.Protocol), "Resp3" },
        { "maxRedirects=0", nameof(ClusterOptions.MaxRedirects), "0" },
        { "maxRedirects=16", nameof(ClusterOptions.MaxRedirects), "16" },
        { "topologyRefreshSeconds=300", nameof(ClusterOptions.TopologyRefreshInterval), "00:05:00" },
        { "topologyRefreshSeconds=0", nameof(ClusterOptions.TopologyRefreshInterval), "00:00:00" },
        { "minTopologyRefreshMs=750", nameof(ClusterOptions.MinTopologyRefreshInterval), "00:00:00.7500000" },
        { "maxPendingPerNode=5000", nameof(ClusterOptions.MaxPendingCommandsPerNode), "5000" },
        { "synchronousConnectionsPerNode=4", nameof(ClusterOptions.SynchronousConnectionsPerNode), "4" },
        { "readFrom=primary", nameof(ClusterOptions.ReadPolicy), "Primary" },
        { "readFrom=preferReplica", nameof(ClusterOptions.ReadPolicy), "PreferReplica" },
        { "readFrom=replica", nameof(ClusterOptions.ReadPolicy), "Replica" },
        { "readFrom=lowestLatency", nameof(ClusterOptions.ReadPolicy), "LowestLatency" },
        { "retryIdempotentWrites=true", nameof(ClusterOptions.RetryIdempotentWrites), "True" },
        { "connectEagerly=true", nameof(ClusterOptions.ConnectEagerly), "True" },
        { "maxBulkLength=1048576", nameof(ClusterOptions.MaxBulkLength), "1048576" },
    };

    [Theory]
    [MemberData(nameof(EveryKey))]
    public void Every_key_maps_to_its_property(string setting, string property, string expected)
    {
        ClusterOptions options = ClusterOptions.Parse("host:7000," + setting);
        Assert.Equal(expected, Read(options, property));
    }

    [Theory]
    [MemberData(nameof(EveryKey))]
    public void Keys_are_case_insensitive_and_items_trimmed(string setting, string property, string expected)
    {
        int equals = setting.IndexOf('=', StringComparison.Ordinal);
        string shouted = "  " + setting[..equals].ToUpperInvariant() + " = " + setting[(equals + 1)..] + "  ";
        ClusterOptions options = ClusterOptions.Parse("host:7000," + shouted);
        Assert.Equal(expected, Read(options, property));
    }

    [Fact]
    public void Values_are_case_insensitive_where_they_are_names()
    {
        ClusterOptions options = ClusterOptions.Parse("h,SSL=TRUE,abortConnect=False,readFrom=PREFERREPLICA,protocol=Resp2");
        Assert.True(options.Ssl);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(ReadPolicy.PreferReplica, options.ReadPolicy);
        Assert.Equal(RespProtocolVersion.Resp2, options.Protocol);
    }

    [Fact]
    public void Last_value_of_a_repeated_key_wins()
    {
        ClusterOptions options = ClusterOptions.Parse("h,ssl=true,ssl=false,name=a,name=b");
        Assert.False(options.Ssl);
        Assert.Equal("b", options.ClientName);
    }

    [Theory]
    [InlineData("syncTimeout=1000,asyncTimeout=4000", 4000)]
    [InlineData("asyncTimeout=4000,syncTimeout=1000", 4000)]
    [InlineData("commandTimeout=700,asyncTimeout=4000,syncTimeout=1000", 700)]
    [InlineData("responseTimeout=9000,syncTimeout=1000", 1000)]
    [InlineData("syncTimeout=1000,syncTimeout=2000", 2000)]
    public void The_most_specific_timeout_key_wins(string settings, int expectedMs)
    {
        ClusterOptions options = ClusterOptions.Parse("h," + settings);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.CommandTimeout);
    }

    [Fact]
    public void DefaultDatabase_zero_is_accepted()
    {
        ClusterOptions options = ClusterOptions.Parse("h,defaultDatabase=0");
        Assert.Single(options.Endpoints);
    }

    [Theory]
    [InlineData("tiebreaker=")]
    [InlineData("tiebreaker=__Booksleeve_TieBreak")]
    [InlineData("configChannel=foo")]
    [InlineData("configCheckSeconds=60")]
    [InlineData("channelPrefix=app:")]
    [InlineData("version=7.2")]
    [InlineData("setlib=false")]
    [InlineData("resolveDns=true")]
    [InlineData("highIntegrity=true")]
    [InlineData("heartbeatInterval=1000")]
    [InlineData("heartbeatConsistencyChecks=true")]
    [InlineData("tcpKeepAlive=true")]
    [InlineData("writeBuffer=4096")]
    [InlineData("defaults=azure")]
    [InlineData("proxy=None")]
    [InlineData("proxy=none")]
    [InlineData("$CONFIG=")]
    [InlineData("$INFO=info2")]
    [InlineData("TIEBREAKER=x")]
    public void Ignored_StackExchange_Redis_keys_are_accepted(string setting)
    {
        ClusterOptions options = ClusterOptions.Parse("h:1," + setting);
        Assert.Equal("h:1", options.ToString());
    }

    [Fact]
    public void IgnoredKeys_lists_the_ignored_keys()
    {
        Assert.Contains("tiebreaker", ConfigurationKeys.IgnoredKeys);
        Assert.Contains("heartbeatInterval", ConfigurationKeys.IgnoredKeys);
        Assert.DoesNotContain("serviceName", ConfigurationKeys.IgnoredKeys);
    }

    [Fact]
    public void Empty_configuration_gives_defaults_without_endpoints()
    {
        ClusterOptions options = ClusterOptions.Parse("  ");
        Assert.Empty(options.Endpoints);
        Assert.Equal(string.Empty, options.ToString());
    }

    [Fact]
    public void Empty_string_values_clear_text_settings()
    {
        ClusterOptions options = ClusterOptions.Parse("h,name=,user=,sslHost=,password=");
        Assert.Null(options.ClientName);
        Assert.Null(options.User);
        Assert.Null(options.SslHost);
        Assert.Null(options.Password);
    }

    [Fact]
    public void TryParse_reports_success_and_failure()
    {
        Assert.True(ClusterOptions.TryParse("h:7000,ssl=true", out ClusterOptions? options, out string? error));
        Assert.NotNull(options);
        Assert.Null(error);
        Assert.True(options.Ssl);

        Assert.False(ClusterOptions.TryParse("h:7000,ssl=maybe", out options, out error));
        Assert.Null(options);
        Assert.Contains("ssl", error, StringComparison.Ordinal);

        Assert.False(ClusterOptions.TryParse(null!, out options, out error));
        Assert.Null(options);
        Assert.NotNull(error);
    }

    [Fact]
    public void Parse_null_throws_ArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => ClusterOptions.Parse(null!));

    [Fact]
    public void Clone_is_deep_for_lists_and_copies_every_setting()
    {
        ClusterOptions original = ClusterOptions.Parse(
            "a:1,b:2,ssl=true,sslHost=x,sslProtocols=Tls13,checkCertificateRevocation=false,user=u,password=p,name=n," +
            "connectTimeout=1,commandTimeout=2,abortConnect=false,allowAdmin=true,keepAlive=3,connectRetry=4,protocol=2," +
            "maxRedirects=6,topologyRefreshSeconds=7,minTopologyRefreshMs=8,maxPendingPerNode=9,readFrom=replica,retryIdempotentWrites=true," +
            "connectEagerly=true,maxBulkLength=10");
        original.CertificateValidation = (_, _, _, _) => true;

        ClusterOptions clone = original.Clone();
        foreach (PropertyInfo property in typeof(ClusterOptions).GetProperties())
        {
            if (property.Name is nameof(ClusterOptions.Endpoints) or nameof(ClusterOptions.TrustedIssuers))
            {
                continue;
            }
            Assert.Equal(property.GetValue(original), property.GetValue(clone));
        }
        Assert.Equal(original.Endpoints, clone.Endpoints);
        Assert.Equal(original.ToString(), clone.ToString());

        clone.Endpoints.Add(new NodeEndpoint("c", 3));
        Assert.Equal(2, original.Endpoints.Count);
        Assert.NotSame(original.TrustedIssuers, clone.TrustedIssuers);
    }

    private static string Read(ClusterOptions options, string property) =>
        Convert.ToString(typeof(ClusterOptions).GetProperty(property)!.GetValue(options), CultureInfo.InvariantCulture)!;

    [Theory]
    [InlineData("h,ssl=1,abortConnect=0,allowAdmin=1,connectEagerly=1", true, false)]
    [InlineData("h,ssl=0,abortConnect=1", false, true)]
    [InlineData("h,ssl=True,abortConnect=FALSE", true, false)]
    public void Booleans_are_read_as_StackExchange_Redis_reads_them_numbers_included(string configuration, bool ssl, bool abortConnect)
    {
        ClusterOptions options = ClusterOptions.Parse(configuration);
        Assert.Equal(ssl, options.Ssl);
        Assert.Equal(abortConnect, options.AbortOnConnectFail);
    }
}
