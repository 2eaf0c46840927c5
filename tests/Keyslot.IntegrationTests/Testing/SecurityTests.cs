using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Testing;

/// <summary>TLS-only clusters: nodes, cluster bus, replication and MIGRATE all over TLS.</summary>
public sealed class TlsClusterTests
{
    [Fact]
    public async Task Tls_cluster_forms_and_answers_over_tls_with_the_exposed_ca()
    {
        await using var cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Tls = true });
        var tls = Assert.IsType<LocalRedisTls>(cluster.Tls);
        Assert.Equal("localhost", tls.ServerName);
        Assert.True(File.Exists(tls.CaCertificatePath));
        Assert.False(tls.CaCertificate.HasPrivateKey);
        Assert.EndsWith(",ssl=true,sslHost=localhost", cluster.ConfigurationString, StringComparison.Ordinal);
        Assert.Contains("tls-port " + cluster.Nodes[0].Port, await File.ReadAllTextAsync(cluster.Nodes[0].ConfigPath), StringComparison.Ordinal);

        // Talk TLS with our own SslStream, trusting only the exposed CA.
        var node = cluster.Nodes[0];
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(node.Host, node.Port);
            await using var ssl = new SslStream(tcp.GetStream(), false, tls.ValidateServerCertificate);
            await ssl.AuthenticateAsClientAsync(tls.ServerName);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\n"));
            var buffer = new byte[64];
            var read = await ssl.ReadAsync(buffer);
            Assert.Equal("+PONG\r\n", Encoding.ASCII.GetString(buffer, 0, read));
        }

        // Plaintext is not served.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(node.Host, node.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\n"));
            var buffer = new byte[64];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var read = await ReadOrZeroAsync(stream, buffer, cts.Token);
            Assert.NotEqual("+PONG\r\n", Encoding.ASCII.GetString(buffer, 0, read));
        }

        // Replication and the cluster bus run over TLS too: every replica is in sync.
        foreach (var primary in cluster.Primaries)
        {
            var replica = Assert.Single(await cluster.GetReplicasAsync(primary));
            Assert.Contains("master_link_status:up", await cluster.ExecuteAsync(replica, "INFO", "replication"), StringComparison.Ordinal);
        }

        // MIGRATE over TLS: a slot with a key moves and the key is readable on the new owner.
        var key = "tls:{x}";
        var slot = int.Parse(await cluster.ExecuteAsync(node, "CLUSTER", "KEYSLOT", key), System.Globalization.CultureInfo.InvariantCulture);
        var owner = await cluster.GetSlotOwnerAsync(slot);
        Assert.Equal("OK", await cluster.ExecuteAsync(owner, "SET", key, "secret"));
        var target = cluster.Primaries.First(p => p != owner);
        await cluster.MoveSlotAsync(slot, target);
        Assert.Equal("secret", await cluster.ExecuteAsync(target, "GET", key));
    }

    private static async Task<int> ReadOrZeroAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

/// <summary>ACL users and a password on the default user.</summary>
public sealed class AclClusterTests
{
    [Fact]
    public async Task Acl_user_authenticates_wrong_password_is_refused_and_replicas_use_masterauth()
    {
        var options = new LocalRedisClusterOptions { DefaultUserPassword = "default-secret" };
        options.Users.Add(new LocalRedisUser("alice", "alice-secret"));
        options.Users.Add(new LocalRedisUser("reader", "reader-secret", "~* +@read +cluster +ping"));
        await using var cluster = await LocalRedisCluster.StartAsync(options);
        var node = cluster.Primaries[0];

        await using (var alice = await cluster.ConnectAsync(node, "alice", "alice-secret"))
        {
            Assert.Equal("alice", await alice.ExecuteAsync("ACL", "WHOAMI"));
            Assert.Equal("PONG", await alice.ExecuteAsync("PING"));
        }

        var wrong = await Assert.ThrowsAsync<LocalRedisCommandException>(() => cluster.ConnectAsync(node, "alice", "not-her-password"));
        Assert.StartsWith("WRONGPASS", wrong.ServerError, StringComparison.Ordinal);

        var wrongDefault = await Assert.ThrowsAsync<LocalRedisCommandException>(() => cluster.ConnectAsync(node, null, "wrong-default-password"));
        Assert.StartsWith("WRONGPASS", wrongDefault.ServerError, StringComparison.Ordinal);

        var noAuth = await Assert.ThrowsAsync<LocalRedisCommandException>(async () =>
        {
            await using var connection = await cluster.ConnectAsync(node, "nobody-here", "x");
        });
        Assert.StartsWith("WRONGPASS", noAuth.ServerError, StringComparison.Ordinal);

        await using (var reader = await cluster.ConnectAsync(node, "reader", "reader-secret"))
        {
            var denied = await Assert.ThrowsAsync<LocalRedisCommandException>(() => reader.ExecuteAsync("SET", "acl:{k}", "v"));
            Assert.StartsWith("NOPERM", denied.ServerError, StringComparison.Ordinal);
        }

        // The default user needs its password; the cluster's own connections use it.
        Assert.Equal("default", await cluster.ExecuteAsync(node, "ACL", "WHOAMI"));
        Assert.Contains("password=default-secret", cluster.ConfigurationString, StringComparison.Ordinal);
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(node.Host, node.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\n"));
            var buffer = new byte[128];
            var read = await stream.ReadAsync(buffer);
            Assert.StartsWith("-NOAUTH", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        }

        // Replicas authenticated to their primaries with masterauth.
        foreach (var primary in cluster.Primaries)
        {
            var replica = Assert.Single(await cluster.GetReplicasAsync(primary));
            Assert.Contains("master_link_status:up", await cluster.ExecuteAsync(replica, "INFO", "replication"), StringComparison.Ordinal);
        }
    }
}
