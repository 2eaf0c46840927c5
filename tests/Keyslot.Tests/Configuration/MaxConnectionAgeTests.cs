namespace Keyslot.Tests.Configuration;

/// <summary><c>maxConnectionAge</c>: parsed in seconds, written back by ToString, validated (at least 1 s, or null for never).</summary>
public class MaxConnectionAgeTests
{
    [Fact]
    public void It_is_off_by_default_and_not_written()
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000");
        Assert.Null(options.MaxConnectionAge);
        Assert.DoesNotContain("maxConnectionAge", options.ToString(), StringComparison.OrdinalIgnoreCase);
        options.Validate();
    }

    [Theory]
    [InlineData("h:7000,maxConnectionAge=39600", 39600)]
    [InlineData("h:7000,MAXCONNECTIONAGE=1", 1)]
    public void The_key_is_read_in_seconds_and_round_trips(string configuration, int seconds)
    {
        ClusterOptions options = ClusterOptions.Parse(configuration);
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.MaxConnectionAge);
        Assert.Equal($"h:7000,{ConfigurationKeys.MaxConnectionAge}={seconds}", options.ToString());
        Assert.Equal(options.MaxConnectionAge, ClusterOptions.Parse(options.ToString()).MaxConnectionAge);
        Assert.Equal(options.MaxConnectionAge, options.Clone().MaxConnectionAge);
        options.Validate();
    }

    [Theory]
    [InlineData("maxConnectionAge=0")]
    [InlineData("maxConnectionAge=-5")]
    [InlineData("maxConnectionAge=11h")]
    [InlineData("maxConnectionAge=9999999")]
    public void A_bad_value_names_the_key(string item)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("h:7000," + item));
        Assert.Contains("maxConnectionAge", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    [InlineData(999)]
    public void Validate_refuses_an_age_under_a_second(int milliseconds)
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000");
        options.MaxConnectionAge = TimeSpan.FromMilliseconds(milliseconds);
        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(ClusterOptions.MaxConnectionAge), error.ParamName);
        Assert.Contains("null to never renew", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_a_second_and_eleven_hours()
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000");
        options.MaxConnectionAge = TimeSpan.FromSeconds(1);
        options.Validate();
        options.MaxConnectionAge = TimeSpan.FromHours(11);
        options.Validate();
    }
}
