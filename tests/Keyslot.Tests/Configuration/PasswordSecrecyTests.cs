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

    /// <summary>
    /// A ',' in a password splits it into items, and a '?' or '&amp;' in an unencoded URI password moves pieces of it
    /// into the query: whatever follows the password must not be quoted, key or value, known or unknown.
    /// </summary>
    public static TheoryData<string, string> PasswordPiecesThatLookLikeSettings => new()
    {
        { "h:1,password=Sec,ret=Pa55", "ret" },                    // an unknown "key" made of the password's second half
        { "h:1,password=Sec,ssl=Pa55", "ssl" },                    // a known key with a value that is the password's rest
        { "h:1,password=Sec,connectTimeout=Pa55x", "connectTimeout" },
        { "redis://:Sec?ret=Pa55@h:1", "ret" },                    // '?' in an unencoded password
        { "redis://:Sec?retPa55@h:1", "retPa55" },
        { "redis://:Sec&ret@h:1?name=x&rest=Pa55", "rest" },
    };

    [Theory]
    [MemberData(nameof(PasswordPiecesThatLookLikeSettings))]
    public void Nothing_that_follows_a_password_is_quoted_in_an_error(string configuration, string piece)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse(configuration));
        Assert.DoesNotContain("Pa55", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'" + piece + "'", error.Message, StringComparison.Ordinal);
        Assert.Contains("#", error.Message, StringComparison.Ordinal); // it says which item, by number
    }

    [Fact]
    public void Before_the_password_an_unknown_key_is_still_named_so_it_can_be_fixed()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ClusterOptions.Parse("h:1,sslHost2=x,password=" + Secret));
        Assert.Contains("'sslHost2'", error.Message, StringComparison.Ordinal);
        AssertNoSecret(error.Message);
    }

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain("S3cr3t", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Pa55", text, StringComparison.Ordinal);
    }
}
