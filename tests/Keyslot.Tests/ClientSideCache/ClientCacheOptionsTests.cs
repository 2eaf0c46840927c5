namespace Keyslot.Tests.ClientSideCache;

/// <summary><c>clientCache</c> and <c>clientCacheMaxAge</c>: parsed, written back by ToString, validated.</summary>
public class ClientCacheOptionsTests
{
    [Fact]
    public void The_cache_is_off_by_default_and_not_written()
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000");
        Assert.Equal(0, options.ClientCacheSize);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ClientCacheMaxAge);
        Assert.DoesNotContain("clientCache", options.ToString(), StringComparison.OrdinalIgnoreCase);
        options.Validate();
    }

    [Theory]
    [InlineData("clientCache=64mb", 64L << 20, "64mb")]
    [InlineData("clientCache=64MB", 64L << 20, "64mb")]
    [InlineData("clientCache=2gb", 2L << 30, "2gb")]
    [InlineData("clientCache=512kb", 512L << 10, "512kb")]
    [InlineData("clientCache=100000", 100000, "100000")]
    [InlineData("clientCache=1048576", 1L << 20, "1mb")]
    public void A_size_is_read_with_its_suffix_and_round_trips(string item, long bytes, string written)
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000," + item);
        Assert.Equal(bytes, options.ClientCacheSize);
        Assert.Equal($"h:7000,{ConfigurationKeys.ClientCache}={written}", options.ToString());
        Assert.Equal(bytes, ClusterOptions.Parse(options.ToString()).ClientCacheSize);
        Assert.Equal(bytes, options.Clone().ClientCacheSize);
        options.Validate();
    }

    [Fact]
    public void The_maximum_age_is_read_in_milliseconds_and_round_trips()
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000,clientCache=1mb,clientCacheMaxAge=2500");
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.ClientCacheMaxAge);
        Assert.Equal(options.ClientCacheMaxAge, ClusterOptions.Parse(options.ToString()).ClientCacheMaxAge);
        Assert.Equal(TimeSpan.Zero, ClusterOptions.Parse("h:7000,clientCacheMaxAge=0").ClientCacheMaxAge);
    }

    [Fact]
    public void Broadcast_prefixes_are_read_with_bars_between_and_round_trip()
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000,clientCache=1mb,clientCachePrefixes=user:|session:");
        Assert.Equal(["user:", "session:"], options.ClientCachePrefixes);
        Assert.Equal("h:7000,clientCache=1mb,clientCachePrefixes=user:|session:", options.ToString());
        Assert.Equal(options.ClientCachePrefixes, ClusterOptions.Parse(options.ToString()).ClientCachePrefixes);
        Assert.Equal(options.ClientCachePrefixes, options.Clone().ClientCachePrefixes);
        Assert.Empty(ClusterOptions.Parse("h:7000").ClientCachePrefixes);
        options.Validate();

        options.ClientCachePrefixes.Add("a|b");
        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(ClusterOptions.ClientCachePrefixes), error.ParamName);
    }

    [Theory]
    [InlineData("clientCache=-1")]
    [InlineData("clientCache=64m")]
    [InlineData("clientCache=mb")]
    [InlineData("clientCache=64tb")]
    [InlineData("clientCache=99999999999gb")]
    [InlineData("clientCacheMaxAge=-5")]
    [InlineData("clientCacheMaxAge=1s")]
    public void A_bad_value_names_the_key(string item)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("h:7000," + item));
        Assert.Contains(item[..item.IndexOf('=')], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cache_too_small_to_hold_a_few_entries_is_refused()
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000,clientCache=100");
        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(ClusterOptions.ClientCacheSize), error.ParamName);
        Assert.Contains("at least 4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cache_with_RESP2_is_refused_with_a_typed_error_that_says_why()
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000,clientCache=64mb,protocol=resp2");
        RedisClientCacheConfigurationException error = Assert.Throws<RedisClientCacheConfigurationException>(options.Validate);
        Assert.Contains("RESP3", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<RedisException>(error);
    }
}
