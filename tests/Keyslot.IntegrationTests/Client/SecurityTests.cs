using Keyslot.Protocol;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>Authentication with ACL users and passwords: a wrong password fails once, clearly, with no retry storm.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var options = new LocalRedisClusterOptions { DefaultUserPassword = "default-secret" };
        options.Users.Add(new LocalRedisUser("app", "app-secret"));
        options.Users.Add(new LocalRedisUser("reader", "reader-secret", "~* &* +@read +ping +cluster +hello +command"));
        _cluster = await LocalRedisCluster.StartAsync(options);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_acl_user_connects_and_works()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",user=app,password=app-secret,name=keyslot-test");
        await client.StringSetAsync("acl:k", "v");
        Assert.Equal("v", await client.StringGetAsync("acl:k"));
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot("acl:k"));
        Assert.Contains("user=app", await _cluster.ExecuteAsync(owner, "CLIENT", "LIST"), StringComparison.Ordinal);
        Assert.Contains("name=keyslot-test", await _cluster.ExecuteAsync(owner, "CLIENT", "LIST"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restricted_user_gets_a_typed_permission_error()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",user=reader,password=reader-secret");
        Assert.Null(await client.StringGetAsync("acl:none"));
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await client.StringSetAsync("acl:none", "x"));
        Assert.Equal(RedisErrorKind.NoPerm, error.Kind);
    }

    [Fact]
    public async Task The_default_user_password_alone_works()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",password=default-secret");
        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
    }

    [Fact]
    public async Task A_wrong_password_fails_connect_once_with_an_authentication_error()
    {
        LocalRedisNode seed = _cluster.Nodes[0];
        await _cluster.ExecuteAsync(seed, "ACL", "LOG", "RESET");
        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() =>
            ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",user=app,password=wrong-password"));
        Assert.Contains("WRONGPASS", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.Message, StringComparison.Ordinal);
        // The server saw exactly one failed attempt: no retries against the seed.
        string log = await _cluster.ExecuteAsync(seed, "ACL", "LOG");
        Assert.Equal(1, CountOccurrences(log, "auth"));
    }

    private static int CountOccurrences(string text, string line) =>
        text.Split('\n').Count(l => l.Trim() == line);
}

/// <summary>TLS to TLS-only nodes: SNI and name validation against the cluster's own CA.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Tls = true });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Tls_with_the_right_name_and_ca_works()
    {
        ClusterOptions options = ClusterOptions.Parse(_cluster.ConfigurationString);
        Assert.True(options.Ssl);
        options.TrustIssuer(_cluster.Tls!.CaCertificatePath);
        await using var client = await ClusterClient.ConnectAsync(options);
        await client.StringSetAsync("tls:k", "secure");
        Assert.Equal("secure", await client.StringGetAsync("tls:k"));
        Assert.Equal(16_384, client.Topology.SlotRanges.Sum(r => r.Count));
    }

    [Fact]
    public async Task Tls_with_a_wrong_name_fails_clearly()
    {
        ClusterOptions options = ClusterOptions.Parse(_cluster.ConfigurationString);
        options.SslHost = "not-the-server.example";
        options.TrustIssuer(_cluster.Tls!.CaCertificatePath);
        options.ConnectRetry = 1;
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => ClusterClient.ConnectAsync(options));
        Assert.Contains("not-the-server.example", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("TLS", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_without_trusting_the_ca_fails()
    {
        ClusterOptions options = ClusterOptions.Parse(_cluster.ConfigurationString);
        options.ConnectRetry = 1;
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => ClusterClient.ConnectAsync(options));
        Assert.Contains("TLS handshake", error.ToString(), StringComparison.Ordinal);
    }
}
