using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Keyslot.IntegrationTests.Client;

/// <summary>The ASP.NET Core way: one shared client from DI, configured by a string or a configuration section.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DependencyInjectionTests
{
    private readonly LocalRedisCluster _cluster;

    public DependencyInjectionTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    [Fact]
    public async Task AddKeyslot_with_a_string_registers_one_shared_working_client()
    {
        var services = new ServiceCollection().AddLogging().AddKeyslot(_cluster.ConfigurationString);
        await using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        IClusterClient client = provider.GetRequiredService<IClusterClient>();
        Assert.Same(client, provider.GetRequiredService<IClusterClient>());
        await client.StringSetAsync("di:k", "v");
        Assert.Equal("v", await client.StringGetAsync("di:k"));
    }

    [Fact]
    public async Task AddKeyslot_binds_a_configuration_section()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Keyslot:Configuration"] = _cluster.ConfigurationString + ",name=di-app" })
            .Build();
        await using ServiceProvider provider = new ServiceCollection().AddLogging().AddKeyslot(configuration.GetSection("Keyslot")).BuildServiceProvider();
        IClusterClient client = provider.GetRequiredService<IClusterClient>();
        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
    }

    [Fact]
    public async Task Resolution_never_waits_for_the_cluster_and_an_unreachable_one_shows_in_typed_command_errors()
    {
        // Nothing listens on this port: resolving must still return at once (DI factories are synchronous and
        // must not block on a connect), and the first command fails with Keyslot's own error, not an AggregateException.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // the port is now closed: connects are refused
        await using ServiceProvider provider = new ServiceCollection().AddLogging()
            .AddKeyslot($"127.0.0.1:{port},commandTimeout=1000,connectTimeout=500").BuildServiceProvider();
        var resolving = System.Diagnostics.Stopwatch.StartNew();
        IClusterClient client = provider.GetRequiredService<IClusterClient>();
        Assert.True(resolving.Elapsed < TimeSpan.FromSeconds(1), $"resolution took {resolving.Elapsed}");
        var error = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.StringGetAsync("di:unreachable"));
        Assert.True(error.Message.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task A_client_created_in_the_background_reports_when_it_has_the_slot_map()
    {
        await using ServiceProvider provider = new ServiceCollection().AddLogging().AddKeyslot(_cluster.ConfigurationString).BuildServiceProvider();
        IClusterClient client = provider.GetRequiredService<IClusterClient>(); // no cast: the interface has what DI users need
        await client.WhenConnectedAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(16_384, client.Topology.SlotRanges.Sum(r => r.End - r.Start + 1));
        Assert.Equal("PONG", (await client.ExecuteAsync("PING", [], CancellationToken.None)).AsString());
        IClusterClient replicaReads = client.WithReadPolicy(ReadPolicy.PreferReplica);
        Assert.Equal(ReadPolicy.PreferReplica, replicaReads.ReadPolicy);
        Assert.Equal(ReadPolicy.Primary, client.ReadPolicy);
        await client.StringSetAsync("{di}k", "v");
        Assert.Equal("v", await replicaReads.WithReadPolicy(ReadPolicy.Primary).StringGetAsync("{di}k"));
    }

    [Fact]
    public void A_bad_configuration_fails_at_startup_validation_naming_the_key()
    {
        using ServiceProvider provider = new ServiceCollection().AddLogging().AddKeyslot("127.0.0.1:1,sslx=true").BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("sslx", error.Message, StringComparison.Ordinal);
    }
}
