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
    public void A_bad_configuration_fails_at_startup_validation_naming_the_key()
    {
        using ServiceProvider provider = new ServiceCollection().AddLogging().AddKeyslot("127.0.0.1:1,sslx=true").BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("sslx", error.Message, StringComparison.Ordinal);
    }
}
