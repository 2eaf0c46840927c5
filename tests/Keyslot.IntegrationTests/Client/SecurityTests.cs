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
        // Every node, not just the first seed: a client that moved on to the next seed would be retrying too.
        foreach (LocalRedisNode node in _cluster.Nodes) await _cluster.ExecuteAsync(node, "ACL", "LOG", "RESET");
        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() =>
            ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",user=app,password=wrong-password"));
        Assert.Contains("WRONGPASS", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.Message, StringComparison.Ordinal);
        // The servers saw exactly one failed attempt: no retries.
        Assert.Equal((1, 1), await CountFailedLoginsAsync("app"));
    }

    [Fact]
    public async Task Each_failed_connect_is_counted_even_when_the_server_folds_them_into_one_log_entry()
    {
        // Guards the check above: two attempts must read as two, or a retrying client would go unnoticed.
        foreach (LocalRedisNode node in _cluster.Nodes) await _cluster.ExecuteAsync(node, "ACL", "LOG", "RESET");
        for (int i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<RedisAuthenticationException>(() =>
                ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",user=app,password=wrong-password"));
        }
        // One entry (same user, reason and command within a minute) whose count says 2.
        Assert.Equal((1, 2), await CountFailedLoginsAsync("app"));
        Assert.Equal((0, 0), await CountFailedLoginsAsync("reader"));
    }

    /// <summary>
    /// Failed logins of <paramref name="user"/> in every node's ACL LOG: the entries, and the attempts. Redis folds
    /// repeated failures into one entry and counts them in its "count" field, so entries are not attempts.
    /// </summary>
    private async Task<(int Entries, long Attempts)> CountFailedLoginsAsync(string user)
    {
        await using var admin = await ClusterClient.ConnectAsync(_cluster.ConfigurationString); // the default user
        int entries = 0;
        long failures = 0;
        foreach (LocalRedisNode node in _cluster.Nodes)
        {
            RespValue log = await admin.ExecuteOnNodeAsync(new NodeEndpoint(node.Host, node.Port), "ACL", ["LOG"]);
            foreach (RespValue entry in log.AsSpan())
            {
                IReadOnlyDictionary<string, RespValue> fields = entry.AsMap(); // a map in RESP3, a flat array in RESP2
                if (fields["reason"].AsString() != "auth" || fields["username"].AsString() != user) continue;
                entries++;
                failures += fields["count"].AsInt64();
            }
        }
        return (entries, failures);
    }
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
