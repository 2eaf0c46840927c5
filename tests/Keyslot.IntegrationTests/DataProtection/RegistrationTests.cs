using Keyslot.AspNetCore.DataProtection;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Keyslot.IntegrationTests.DataProtection.DataProtectionApps;

namespace Keyslot.IntegrationTests.DataProtection;

/// <summary>The overloads that take the application's registered client, and what each overload refuses.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RegistrationTests(ClusterFixture fixture)
{
    private readonly LocalRedisCluster _cluster = fixture.Cluster;

    private static KeyslotXmlRepository RepositoryOf(IServiceProvider app) =>
        Assert.IsType<KeyslotXmlRepository>(app.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);

    [Fact]
    public async Task The_overload_without_a_client_keeps_the_ring_through_the_client_AddKeyslot_registered()
    {
        string listKey = NewListKey();
        IServiceCollection services = new ServiceCollection().AddKeyslot(_cluster.ConfigurationString);
        await using ServiceProvider app = Services(services).PersistKeysToKeyslot(listKey).Services.BuildServiceProvider();

        Assert.Equal(listKey, RepositoryOf(app).Key);
        string token = Protector(app).Protect("via the registered client");
        Assert.Equal(KeyIdOf(token), IdOf(Assert.Single(await EntriesOnServerAsync(_cluster, listKey))));
        Assert.Equal("via the registered client", Protector(app).Unprotect(token));
    }

    [Fact]
    public async Task The_default_list_key_is_Microsofts()
    {
        await using ServiceProvider app = Services(new ServiceCollection().AddKeyslot(_cluster.ConfigurationString))
            .PersistKeysToKeyslot().Services.BuildServiceProvider();
        Assert.Equal("DataProtection-Keys", KeyslotDataProtectionBuilderExtensions.DefaultKey);
        Assert.Equal("DataProtection-Keys", RepositoryOf(app).Key);
    }

    [Fact]
    public async Task The_keyed_overload_keeps_the_ring_through_the_client_AddKeyedKeyslot_registered()
    {
        string listKey = NewListKey();
        IServiceCollection services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddKeyedKeyslot("ring", o => o.Configuration = _cluster.ConfigurationString);
        await using ServiceProvider app = Services(services).PersistKeysToKeyedKeyslot("ring", listKey).Services.BuildServiceProvider();

        Assert.Null(app.GetService<IClusterClient>()); // only the keyed client exists, so it is the one used
        string token = Protector(app).Protect("via the keyed client");
        Assert.Equal(KeyIdOf(token), IdOf(Assert.Single(await EntriesOnServerAsync(_cluster, listKey))));
    }

    [Fact]
    public async Task Without_a_registered_client_the_key_managers_options_fail_saying_what_to_register()
    {
        await using ServiceProvider app = Services().PersistKeysToKeyslot(NewListKey()).Services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => app.GetRequiredService<IOptions<KeyManagementOptions>>().Value);
        Assert.Contains("AddKeyslot", error.Message, StringComparison.Ordinal);

        await using ServiceProvider keyed = Services().PersistKeysToKeyedKeyslot("ring", NewListKey()).Services.BuildServiceProvider();
        error = Assert.Throws<InvalidOperationException>(() => keyed.GetRequiredService<IOptions<KeyManagementOptions>>().Value);
        Assert.Contains("AddKeyedKeyslot(\"ring\"", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string?> BadListKeys => new() { null, "", "   " };

    [Theory]
    [MemberData(nameof(BadListKeys))]
    public async Task A_null_empty_or_blank_list_key_is_refused_by_every_overload_when_called(string? listKey)
    {
        await using ClusterClient client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        IDataProtectionBuilder builder = new ServiceCollection().AddDataProtection();
        int configurations = KeyManagementConfigurations(builder);

        AssertRefusesKey(listKey, () => builder.PersistKeysToKeyslot(client, listKey!));
        AssertRefusesKey(listKey, () => builder.PersistKeysToKeyslot(() => client, listKey!));
        AssertRefusesKey(listKey, () => builder.PersistKeysToKeyslot(listKey!));
        AssertRefusesKey(listKey, () => builder.PersistKeysToKeyedKeyslot("ring", listKey!));
        AssertRefusesKey(listKey, () => new KeyslotXmlRepository(() => client, listKey!));
        Assert.Equal(configurations, KeyManagementConfigurations(builder)); // nothing half-registered
    }

    [Fact]
    public void A_null_client_factory_or_service_key_is_refused_naming_it()
    {
        IDataProtectionBuilder builder = new ServiceCollection().AddDataProtection();
        Assert.Equal("client", Assert.Throws<ArgumentNullException>(() => builder.PersistKeysToKeyslot((IClusterClient)null!)).ParamName);
        Assert.Equal("clientFactory", Assert.Throws<ArgumentNullException>(() => builder.PersistKeysToKeyslot((Func<IClusterClient>)null!, "k")).ParamName);
        Assert.Equal("serviceKey", Assert.Throws<ArgumentNullException>(() => builder.PersistKeysToKeyedKeyslot(null!)).ParamName);
    }

    private static int KeyManagementConfigurations(IDataProtectionBuilder builder) =>
        builder.Services.Count(d => d.ServiceType == typeof(IConfigureOptions<KeyManagementOptions>));

    private static void AssertRefusesKey(string? listKey, Func<object> register)
    {
        ArgumentException error = listKey is null
            ? Assert.Throws<ArgumentNullException>(register)
            : Assert.Throws<ArgumentException>(register);
        Assert.Equal("key", error.ParamName);
    }
}
