using Amazon.Runtime;
using Keyslot.ElastiCache;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Credentials;

/// <summary>
/// The IAM token goes through the core's handshake as ElastiCache expects it: AUTH with the user id and the token as
/// the password. A local server cannot verify SigV4, so its ACL user is given, as password, the very token the
/// generator signs at a fixed clock; the default user has another password, so only that token can get in.
/// </summary>
public sealed class ElastiCacheIamTests
{
    private static readonly DateTimeOffset SignedAt = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static ElastiCacheIamOptions Iam() => new()
    {
        CacheName = "local-cache",
        UserId = "iam-user",
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        TimeProvider = new FixedClock(SignedAt),
    };

    [Fact]
    public async Task Every_primary_accepts_the_signed_token_as_the_user_ids_password()
    {
        RedisCredential expected = await new ClusterOptions().UseElastiCacheIam(Iam()).CredentialProvider!(CancellationToken.None);
        var clusterOptions = new LocalRedisClusterOptions { Primaries = 3, ReplicasPerPrimary = 0, DefaultUserPassword = "admin-secret" };
        clusterOptions.Users.Add(new LocalRedisUser("iam-user", expected.Password));
        await using var cluster = await LocalRedisCluster.StartAsync(clusterOptions);

        ClusterOptions options = ClusterOptions.Parse(cluster.ConfigurationString);
        options.User = null;
        options.Password = null; // the cluster's default password: the token is the only way in
        await using var client = await ClusterClient.ConnectAsync(options.UseElastiCacheIam(Iam()));

        foreach (SlotRange range in client.Topology.SlotRanges)
        {
            string key = SlotKeys.For(range.Start);
            Assert.True(await client.StringSetAsync(key, "v"));
            RespValue whoAmI = await client.ExecuteOnNodeAsync(range.Primary, "ACL", ["WHOAMI"]);
            Assert.Equal("iam-user", whoAmI.AsString());
        }
        Assert.Equal(TimeSpan.FromHours(11), options.MaxConnectionAge);
    }
}
