using Amazon.Runtime;
using Keyslot.ElastiCache;
using Keyslot.ElastiCache.Signing;
using Keyslot.Tests.Connections;

namespace Keyslot.Tests.ElastiCache;

/// <summary>
/// ElastiCache IAM tokens at a fixed clock, against expected tokens computed independently by
/// <c>reference_token.py</c> in this folder (Python's hmac, hashlib and urllib only), and the wiring into the options.
/// </summary>
public sealed class ElastiCacheIamTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_is_the_presigned_connect_request_without_its_scheme()
    {
        string token = IamAuthToken.Create("My-Cache", "app-user", "us-east-1", serverless: false,
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: null, Noon);

        Assert.Equal("my-cache/?Action=connect&User=app-user&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261202%2Fus-east-1%2Felasticache%2Faws4_request&X-Amz-Date=20261202T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=fd3b88444110010551057fe6e3ea27ac218b1afde2a253147da2362f1d13d964", token);
    }

    [Fact]
    public void A_serverless_token_with_temporary_credentials_signs_the_resource_type_and_the_session_token()
    {
        string token = IamAuthToken.Create("orders-cache", "iam user/1", "eu-west-2", serverless: true,
            "ASIAEXAMPLE", "secret+with/chars=", "FwoGZXIvYXdzE+token/with=chars", new DateTimeOffset(2026, 12, 2, 23, 59, 59, TimeSpan.Zero));

        Assert.Equal("orders-cache/?Action=connect&ResourceType=ServerlessCache&User=iam%20user%2F1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261202%2Feu-west-2%2Felasticache%2Faws4_request&X-Amz-Date=20261202T235959Z&X-Amz-Expires=900&X-Amz-Security-Token=FwoGZXIvYXdzE%2Btoken%2Fwith%3Dchars&X-Amz-SignedHeaders=host&X-Amz-Signature=02a5e212c7a786100ba41aa18993c50ae67be2bff235469f84c47579eb70daf6", token);
    }

    [Fact]
    public async Task The_provider_signs_a_new_token_for_each_call_valid_fifteen_minutes()
    {
        var clock = new ManualTimeProvider();
        clock.Advance(Noon - clock.GetUtcNow());
        ClusterOptions options = ClusterOptions.Parse("clustercfg.my-cache.abc123.use1.cache.amazonaws.com:6379,ssl=true").UseElastiCacheIam(new ElastiCacheIamOptions
        {
            CacheName = "My-Cache",
            UserId = "app-user",
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            TimeProvider = clock,
        });

        RedisCredential first = await options.CredentialProvider!(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(14));
        RedisCredential second = await options.CredentialProvider!(CancellationToken.None);

        Assert.Equal("app-user", first.User);
        Assert.EndsWith("X-Amz-Signature=fd3b88444110010551057fe6e3ea27ac218b1afde2a253147da2362f1d13d964", first.Password, StringComparison.Ordinal);
        Assert.Equal(Noon + TimeSpan.FromMinutes(15), first.ExpiresAt);
        Assert.Contains("X-Amz-Date=20261202T121400Z", second.Password, StringComparison.Ordinal);
        Assert.Equal(Noon + TimeSpan.FromMinutes(29), second.ExpiresAt);
        Assert.Equal(ElastiCacheIamExtensions.DefaultMaxConnectionAge, options.MaxConnectionAge); // the 12-hour cut is met first
    }

    [Fact]
    public void A_maximum_connection_age_set_by_the_user_is_kept()
    {
        var options = new ClusterOptions { MaxConnectionAge = TimeSpan.FromHours(2) };
        options.UseElastiCacheIam(Valid());
        Assert.Equal(TimeSpan.FromHours(2), options.MaxConnectionAge);
    }

    [Theory]
    [InlineData("", "app-user", "us-east-1", "CacheName")]
    [InlineData("my-cache", " ", "us-east-1", "UserId")]
    [InlineData("my-cache", "app-user", "virginia", "Region 'virginia'")]
    [InlineData("my-cache", "app-user", "US-EAST-1", "Region 'US-EAST-1'")]
    public void Missing_or_malformed_settings_are_refused_by_name(string cache, string user, string region, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterOptions().UseElastiCacheIam(new ElastiCacheIamOptions { CacheName = cache, UserId = user, Region = region }));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_password_together_with_iam_is_refused_without_echoing_it()
    {
        ClusterOptions options = ClusterOptions.Parse("localhost:6379,user=app,password=hunter2-secret");
        var error = Assert.Throws<ArgumentException>(() => options.UseElastiCacheIam(Valid()));
        Assert.Contains("leave User and Password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Null(options.CredentialProvider);
    }

    private static ElastiCacheIamOptions Valid() => new()
    {
        CacheName = "my-cache",
        UserId = "app-user",
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
    };
}
