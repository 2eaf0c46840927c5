namespace Keyslot.Tests.Configuration;

public class PasswordSecrecyTests
{
    private const string Secret = "S3cr3t-Pa55";

    [Theory]
    [InlineData("h:1,password=" + Secret)]
    [InlineData("h:1,user=app,password=" + Secret + ",ssl=true")]
    [InlineData("redis://app:" + Secret + "@h:1")]
    [InlineData("rediss://:" + Secret + "@h:1?name=x")]
    [InlineData("redis://h:1?password=" + Secret)]
    public void ToString_masks_the_password(string configuration)
    {
        ClusterOptions options = ClusterOptions.Parse(configuration);
        Assert.Equal(Secret, options.Password);

        string text = options.ToString();
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.Contains("password=*****", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, options.Clone().ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> FailingConfigurations => new()
    {
        "h:1,password=" + Secret + ",ssl=maybe",
        "h:1,password=" + Secret + ",connectTimeout=abc",
        "h:1,password=" + Secret + ",nonsense=1",
        "h:1,pasword=" + Secret,                            // misspelt key: its value is not echoed
        "h:1,password=S3cr3t,Pa55:99999",                   // comma in a password: the fragment looks like an endpoint
        "h:1,password=S3cr3t,[Pa55",
        "h:1,password=" + Secret + ",defaultDatabase=2",
        "h:1,password=" + Secret + ",serviceName=mymaster",
        "redis://app:" + Secret + "@h:99999",
        "redis://app:" + Secret + "@h:1/3",
        "redis://app:" + Secret + "@h:1/zero",
        "redis://:" + Secret + "@",
        "redis://:S3cr3t/Pa55@h:1",                          // unencoded '/' in the password
        "redis://:S3cr3t#Pa55@h:1",                          // unencoded '#' in the password
        "rediss://:" + Secret + "@h:1?ssl=false",
        "redis://:" + Secret + "@h:1?bogus=1",
        "redis://:" + Secret + "@h:1?protocol=9",
        "redis://h:1?password=" + Secret + "&ssl=perhaps",
    };

    [Theory]
    [MemberData(nameof(FailingConfigurations))]
    public void Parse_errors_never_contain_the_password(string configuration)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse(configuration));
        AssertNoSecret(error.Message);
        AssertNoSecret(error.ToString());

        Assert.False(ClusterOptions.TryParse(configuration, out _, out string? message));
        AssertNoSecret(message!);
    }

    [Fact]
    public void Validate_errors_never_contain_the_password()
    {
        ClusterOptions options = ClusterOptions.Parse("h:1,password=" + Secret);
        options.CommandTimeout = TimeSpan.Zero;
        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        AssertNoSecret(error.Message);

        options = ClusterOptions.Parse("password=" + Secret);
        error = Assert.Throws<ArgumentException>(options.Validate);
        AssertNoSecret(error.Message);
    }

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain("S3cr3t", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Pa55", text, StringComparison.Ordinal);
    }
}
