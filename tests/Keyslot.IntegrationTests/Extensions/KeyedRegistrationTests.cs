using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Keyslot.IntegrationTests.Extensions;

/// <summary>Several clusters in one application: keyed clients, each from its <c>ConnectionStrings:&lt;name&gt;</c>.</summary>
public sealed class KeyedRegistrationTests : IAsyncLifetime
{
    private LocalRedisCluster _orders = null!;
    private LocalRedisCluster _sessions = null!;

    public async Task InitializeAsync()
    {
        // One shard each (with a replica: a lone node does not know its own address for CLUSTER SHARDS).
        var small = new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 1 };
        LocalRedisCluster[] started = await Task.WhenAll(LocalRedisCluster.StartAsync(small), LocalRedisCluster.StartAsync(small));
        (_orders, _sessions) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        await _orders.DisposeAsync();
        await _sessions.DisposeAsync();
    }

    /// <summary>What an application's class gets injected with.</summary>
    private sealed class Checkout([FromKeyedServices("orders")] IClusterClient orders, [FromKeyedServices("sessions")] IClusterClient sessions)
    {
        public IClusterClient Orders { get; } = orders;
        public IClusterClient Sessions { get; } = sessions;
    }

    private ServiceProvider Build(string? ordersName = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:orders"] = _orders.ConfigurationString + (ordersName is null ? "" : $",name={ordersName}"),
            ["ConnectionStrings:sessions"] = _sessions.ConfigurationString,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(configuration);
        services.AddKeyedKeyslot("orders").AddKeyedKeyslot("sessions").AddSingleton<Checkout>();
        services.AddHealthChecks().AddKeyedKeyslot("orders", timeout: HealthChecks.Timeout).AddKeyedKeyslot("sessions", timeout: HealthChecks.Timeout);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Two_keyed_registrations_give_two_clients_each_on_its_own_cluster_from_ConnectionStrings()
    {
        await using ServiceProvider provider = Build();
        provider.GetRequiredService<IStartupValidator>().Validate();
        Checkout checkout = provider.GetRequiredService<Checkout>();
        Assert.NotSame(checkout.Orders, checkout.Sessions);
        Assert.Same(checkout.Orders, provider.GetRequiredKeyedService<IClusterClient>("orders"));
        Assert.Null(provider.GetService<IClusterClient>()); // no default client was registered

        await checkout.Orders.WhenConnectedAsync(TimeSpan.FromSeconds(10));
        await checkout.Sessions.WhenConnectedAsync(TimeSpan.FromSeconds(10));
        LocalRedisNode ordersPrimary = (await _orders.GetPrimariesAsync()).Single();
        Assert.Equal(ordersPrimary.Endpoint, Assert.Single(checkout.Orders.Topology.SlotRanges).Primary.ToString());
        Assert.Equal((await _sessions.GetPrimariesAsync()).Single().Endpoint, Assert.Single(checkout.Sessions.Topology.SlotRanges).Primary.ToString());
        string key = "keyed:" + Guid.NewGuid().ToString("N");
        await checkout.Orders.StringSetAsync(key, "order");
        Assert.Equal("order", await checkout.Orders.StringGetAsync(key));
        Assert.Null(await checkout.Sessions.StringGetAsync(key)); // a different cluster
        Assert.Equal("order", await _orders.ExecuteAsync(ordersPrimary, "GET", key));

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HealthStatus.Healthy, report.Entries["keyslot-orders"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["keyslot-sessions"].Status);
    }

    [Fact]
    public void A_keyed_client_without_its_connection_string_fails_startup_validation_naming_it()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        using ServiceProvider provider = services.AddKeyedKeyslot("billing").BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("ConnectionStrings:billing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_keyed_client_configured_in_code_wins_over_the_connection_string()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:orders"] = $"127.0.0.1:{Bounded.ClosedPort()}",
        }).Build();
        await using ServiceProvider provider = new ServiceCollection().AddLogging().AddSingleton(configuration)
            .AddKeyedKeyslot("orders", o => o.Configuration = _orders.ConfigurationString).BuildServiceProvider();
        IClusterClient orders = provider.GetRequiredKeyedService<IClusterClient>("orders");
        await orders.WhenConnectedAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((await _orders.GetPrimariesAsync()).Single().Endpoint, Assert.Single(orders.Topology.SlotRanges).Primary.ToString());
    }

    [Fact]
    public async Task Disposing_the_provider_synchronously_closes_every_clients_connections_and_does_not_throw()
    {
        string name = "sync-dispose-" + Guid.NewGuid().ToString("N")[..8];
        ServiceProvider provider = Build(ordersName: name);
        IClusterClient orders = provider.GetRequiredKeyedService<IClusterClient>("orders");
        await orders.WhenConnectedAsync(TimeSpan.FromSeconds(10));
        await orders.StringSetAsync("sync:k", "v");
        Assert.True(await Bounded.ConnectionsNamedAsync(_orders, name) > 0);

        provider.Dispose(); // what `using var provider = …` does: the synchronous road

        await Bounded.UntilAsync(async () => await Bounded.ConnectionsNamedAsync(_orders, name) == 0, TimeSpan.FromSeconds(5),
            "the servers dropping the disposed client's connections");
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await orders.StringGetAsync("sync:k"));
    }
}

/// <summary>The default client from <c>ConnectionStrings:&lt;name&gt;</c>, and sync disposal of it, on the shared cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConnectionStringRegistrationTests
{
    private readonly LocalRedisCluster _cluster;

    public ConnectionStringRegistrationTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    [Fact]
    public async Task AddKeyslotFromConnectionString_reads_ConnectionStrings_of_the_applications_configuration()
    {
        string name = "cs-" + Guid.NewGuid().ToString("N")[..8];
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = _cluster.ConfigurationString + $",name={name}",
        }).Build();
        await using ServiceProvider provider = new ServiceCollection().AddLogging().AddSingleton(configuration)
            .AddKeyslotFromConnectionString("cache").BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        IClusterClient client = provider.GetRequiredService<IClusterClient>();
        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
        Assert.True(await Bounded.ConnectionsNamedAsync(_cluster, name) > 0); // the string read is the one used
    }

    [Fact]
    public void AddKeyslotFromConnectionString_without_it_fails_startup_validation_naming_it()
    {
        using ServiceProvider provider = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddKeyslotFromConnectionString("cache").BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("ConnectionStrings:cache", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_dispose_of_a_provider_with_using_closes_the_default_client_and_does_not_throw()
    {
        string name = "sync-default-" + Guid.NewGuid().ToString("N")[..8];
        IClusterClient client;
        using (ServiceProvider provider = new ServiceCollection().AddLogging().AddKeyslot(_cluster.ConfigurationString + $",name={name}").BuildServiceProvider())
        {
            client = provider.GetRequiredService<IClusterClient>();
            await client.ExecuteOnNodesAsync(NodeSelection.AllPrimaries, "PING", []);
            Assert.True(await Bounded.ConnectionsNamedAsync(_cluster, name) >= 3);
        }
        await Bounded.UntilAsync(async () => await Bounded.ConnectionsNamedAsync(_cluster, name) == 0, TimeSpan.FromSeconds(5),
            "the servers dropping the disposed client's connections");
        Assert.Throws<ObjectDisposedException>(() => client.CreateBatch());
    }

    [Fact]
    public async Task A_provider_never_resolved_disposes_synchronously_without_making_a_client()
    {
        var provider = new ServiceCollection().AddLogging().AddKeyslot(_cluster.ConfigurationString).AddKeyedKeyslot("x", o => o.Configuration = _cluster.ConfigurationString).BuildServiceProvider();
        provider.Dispose();
        await provider.DisposeAsync(); // twice, either way: nothing to close, nothing thrown
        Assert.Throws<ObjectDisposedException>(() => provider.GetRequiredService<IClusterClient>());
    }
}
