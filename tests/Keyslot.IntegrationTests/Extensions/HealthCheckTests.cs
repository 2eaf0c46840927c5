using System.Diagnostics;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Keyslot.IntegrationTests.Extensions;

/// <summary>Runs the health check the way ASP.NET Core does (HealthCheckService) and times it against its timeout.</summary>
internal static class HealthChecks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public static ServiceProvider Provider(string configuration, HealthStatus? failureStatus = null) =>
        new ServiceCollection().AddLogging().AddKeyslot(configuration)
            .AddHealthChecks().AddKeyslot(failureStatus: failureStatus, tags: ["ready"], timeout: Timeout).Services
            .BuildServiceProvider();

    public static async Task<(HealthReportEntry Entry, TimeSpan Elapsed)> RunAsync(IServiceProvider provider, string name = "keyslot")
    {
        var service = provider.GetRequiredService<HealthCheckService>();
        var watch = Stopwatch.StartNew();
        HealthReport report = await service.CheckHealthAsync(r => r.Name == name).WaitAsync(TimeSpan.FromSeconds(30));
        watch.Stop();
        Bounded.WithinTimeout(watch.Elapsed, Timeout, "the health check");
        return (report.Entries[name], watch.Elapsed);
    }
}

/// <summary>The health check on the shared, healthy cluster (read-only).</summary>
[Collection(ClusterCollection.Name)]
public sealed class HealthCheckOnAHealthyClusterTests
{
    private readonly LocalRedisCluster _cluster;

    public HealthCheckOnAHealthyClusterTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    [Fact]
    public async Task A_good_cluster_is_Healthy_within_the_timeout_with_every_primary_in_the_data()
    {
        await using ServiceProvider provider = HealthChecks.Provider(_cluster.ConfigurationString);
        (HealthReportEntry entry, _) = await HealthChecks.RunAsync(provider);
        Assert.True(entry.Status == HealthStatus.Healthy, entry.Description);
        Assert.Contains("ready", entry.Tags);
        Assert.Equal(16_384, entry.Data["slots_assigned"]);
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            string state = Assert.IsType<string>(entry.Data[primary.Endpoint]);
            Assert.Contains("primary", state, StringComparison.Ordinal);
            Assert.Contains("cluster_state:ok", state, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_client_whose_endpoint_has_no_listener_is_Unhealthy_within_the_timeout()
    {
        int port = Bounded.ClosedPort();
        await using ServiceProvider provider = HealthChecks.Provider($"127.0.0.1:{port},connectTimeout=500");
        (HealthReportEntry entry, _) = await HealthChecks.RunAsync(provider);
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("No slot map", entry.Description, StringComparison.Ordinal);
        Assert.NotNull(entry.Exception);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Description + entry.Exception!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registrations_failure_status_replaces_Unhealthy()
    {
        await using ServiceProvider provider = HealthChecks.Provider($"127.0.0.1:{Bounded.ClosedPort()},connectTimeout=500", failureStatus: HealthStatus.Degraded);
        (HealthReportEntry entry, _) = await HealthChecks.RunAsync(provider);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("No slot map", entry.Description, StringComparison.Ordinal);
    }
}

/// <summary>The health check while a primary is frozen or dead: a cluster of each test's own.</summary>
public sealed class HealthCheckFaultTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    // A long node timeout: the cluster does not fail over while a test looks at the failed primary.
    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { NodeTimeoutMilliseconds = 15_000 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<(ServiceProvider Provider, LocalRedisNode Victim)> ConnectedAsync()
    {
        ServiceProvider provider = HealthChecks.Provider(_cluster.ConfigurationString + ",commandTimeout=5000");
        IClusterClient client = provider.GetRequiredService<IClusterClient>();
        await client.WhenConnectedAsync(TimeSpan.FromSeconds(10));
        (HealthReportEntry before, _) = await HealthChecks.RunAsync(provider);
        Assert.True(before.Status == HealthStatus.Healthy, before.Description);
        return (provider, (await _cluster.GetPrimariesAsync())[0]);
    }

    [Fact]
    public async Task A_frozen_primary_makes_it_Degraded_within_the_timeout_naming_the_node()
    {
        (ServiceProvider provider, LocalRedisNode victim) = await ConnectedAsync();
        await using ServiceProvider owned = provider;
        _cluster.Freeze(victim);
        try
        {
            (HealthReportEntry entry, TimeSpan elapsed) = await HealthChecks.RunAsync(provider);
            Assert.Equal(HealthStatus.Degraded, entry.Status);
            Assert.Contains(victim.Endpoint + " did not answer", entry.Description, StringComparison.Ordinal);
            Assert.Contains("no answer in time", Assert.IsType<string>(entry.Data[victim.Endpoint]), StringComparison.Ordinal);
            Assert.True(elapsed >= TimeSpan.FromMilliseconds(500), $"a frozen node cannot answer; the check gave up after {elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            _cluster.Thaw(victim);
        }
    }

    [Fact]
    public async Task A_killed_primary_before_failover_makes_it_Degraded_within_the_timeout()
    {
        (ServiceProvider provider, LocalRedisNode victim) = await ConnectedAsync();
        await using ServiceProvider owned = provider;
        _cluster.Kill(victim);
        (HealthReportEntry entry, _) = await HealthChecks.RunAsync(provider);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains(victim.Endpoint, entry.Description, StringComparison.Ordinal);
        foreach (LocalRedisNode alive in (await _cluster.GetPrimariesAsync()).Where(p => p.Endpoint != victim.Endpoint))
        {
            Assert.Contains("cluster_state:", Assert.IsType<string>(entry.Data[alive.Endpoint]), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_primary_frozen_makes_it_Unhealthy_within_the_timeout()
    {
        (ServiceProvider provider, _) = await ConnectedAsync();
        await using ServiceProvider owned = provider;
        IReadOnlyList<LocalRedisNode> primaries = await _cluster.GetPrimariesAsync();
        foreach (LocalRedisNode primary in primaries) _cluster.Freeze(primary);
        try
        {
            (HealthReportEntry entry, _) = await HealthChecks.RunAsync(provider);
            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            Assert.StartsWith("No primary answered", entry.Description, StringComparison.Ordinal);
        }
        finally
        {
            foreach (LocalRedisNode primary in primaries) _cluster.Thaw(primary);
        }
    }
}

/// <summary>The registration's timeout bounds the check too when it is the shorter one.</summary>
public sealed class HealthCheckRegistrationTimeoutTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { NodeTimeoutMilliseconds = 15_000 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_shorter_registration_timeout_bounds_the_check_and_the_result_is_still_the_checks_own()
    {
        TimeSpan registration = TimeSpan.FromMilliseconds(600);
        var services = new ServiceCollection().AddLogging().AddKeyslot(_cluster.ConfigurationString);
        services.AddHealthChecks().AddKeyslot(timeout: TimeSpan.FromSeconds(30));
        services.Configure<HealthCheckServiceOptions>(o => o.Registrations.Single().Timeout = registration);
        await using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IClusterClient>().WhenConnectedAsync(TimeSpan.FromSeconds(10));
        LocalRedisNode victim = (await _cluster.GetPrimariesAsync())[2];
        _cluster.Freeze(victim);
        try
        {
            var watch = Stopwatch.StartNew();
            HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Bounded.WithinTimeout(watch.Elapsed, registration, "the health check");
            HealthReportEntry entry = report.Entries["keyslot"];
            Assert.Equal(HealthStatus.Degraded, entry.Status); // not the service's own "A timeout occurred"
            Assert.Contains(victim.Endpoint + " did not answer", entry.Description, StringComparison.Ordinal);
        }
        finally
        {
            _cluster.Thaw(victim);
        }
    }
}
