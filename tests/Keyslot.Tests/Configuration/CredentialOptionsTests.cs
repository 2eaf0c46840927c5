namespace Keyslot.Tests.Configuration;

/// <summary>The credential provider in the options: one source of credentials at a time, copied by Clone, and no password shown anywhere.</summary>
public sealed class CredentialOptionsTests
{
    private static ValueTask<RedisCredential> Provider(CancellationToken _) => ValueTask.FromResult(new RedisCredential("app", "token-secret"));

    private static ClusterOptions WithProvider()
    {
        ClusterOptions options = ClusterOptions.Parse("h:7000");
        options.CredentialProvider = Provider;
        return options;
    }

    [Fact]
    public void A_provider_alone_is_valid() => WithProvider().Validate();

    [Theory]
    [InlineData("pw", null)]
    [InlineData("pw", "app")]
    [InlineData(null, "app")]
    public void A_provider_with_a_fixed_user_or_password_is_refused_naming_both(string? password, string? user)
    {
        ClusterOptions options = WithProvider();
        options.Password = password;
        options.User = user;
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(ClusterOptions.CredentialProvider), error.ParamName);
        Assert.Contains("User and Password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_refresh_margin_is_refused()
    {
        ClusterOptions options = WithProvider();
        options.CredentialRefreshMargin = TimeSpan.FromSeconds(-1);
        Assert.Equal(nameof(ClusterOptions.CredentialRefreshMargin), Assert.Throws<ArgumentException>(options.Validate).ParamName);
    }

    [Fact]
    public void Clone_keeps_the_provider_and_its_margin()
    {
        ClusterOptions options = WithProvider();
        options.CredentialRefreshMargin = TimeSpan.FromSeconds(90);
        ClusterOptions clone = options.Clone();
        Assert.Same(options.CredentialProvider, clone.CredentialProvider);
        Assert.Equal(TimeSpan.FromSeconds(90), clone.CredentialRefreshMargin);
    }

    [Fact]
    public void The_provider_is_code_only_and_the_fixed_password_default_is_unchanged()
    {
        ClusterOptions options = WithProvider();
        Assert.Equal("h:7000", options.ToString());
        Assert.Equal(TimeSpan.FromMinutes(1), ClusterOptions.Parse("h:7000").CredentialRefreshMargin);
        Assert.Null(ClusterOptions.Parse("h:7000,password=pw").CredentialProvider);
    }

    [Fact]
    public void A_credential_never_shows_its_password()
    {
        var credential = new RedisCredential("app", "token-secret", new DateTimeOffset(2026, 1, 1, 0, 15, 0, TimeSpan.Zero));
        Assert.DoesNotContain("token-secret", credential.ToString(), StringComparison.Ordinal);
        Assert.Contains("user=app", credential.ToString(), StringComparison.Ordinal);
        Assert.Contains("2026-01-01T00:15:00", credential.ToString(), StringComparison.Ordinal);
        Assert.Contains("user=default", new RedisCredential(null, "token-secret").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app", null, "password")]
    [InlineData("app", "", "password")]
    [InlineData("", "pw", "user")]
    public void A_credential_without_a_password_or_with_an_empty_user_is_refused(string? user, string? password, string parameter) =>
        Assert.Equal(parameter, Assert.Throws<ArgumentException>(() => new RedisCredential(user, password!)).ParamName);
}
