using System.Xml.Linq;
using Keyslot.AspNetCore.DataProtection;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using static Keyslot.IntegrationTests.DataProtection.DataProtectionApps;
using SE = StackExchange.Redis;

namespace Keyslot.IntegrationTests.DataProtection;

/// <summary>
/// The key ring is interchangeable with Microsoft's PersistKeysToStackExchangeRedis (StackExchange.Redis in cluster
/// mode on the same nodes): keys made through either are read and used by the other, at the same list key.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StackExchangeRedisInteropTests(ClusterFixture fixture) : IAsyncLifetime
{
    private readonly LocalRedisCluster _cluster = fixture.Cluster;
    private ClusterClient _client = null!;
    private SE.ConnectionMultiplexer _multiplexer = null!;

    public async Task InitializeAsync()
    {
        _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        _multiplexer = await SE.ConnectionMultiplexer.ConnectAsync(_cluster.ConfigurationString); // every node's endpoint
    }

    public async Task DisposeAsync()
    {
        await _multiplexer.DisposeAsync();
        await _client.DisposeAsync();
    }

    [Fact]
    public async Task Keys_made_through_Keyslot_are_read_and_used_by_PersistKeysToStackExchangeRedis()
    {
        string listKey = NewListKey();
        await using ServiceProvider keyslotApp = OverKeyslot(_client, listKey);
        await using ServiceProvider stackExchangeApp = OverStackExchangeRedis(_multiplexer, listKey);

        string token = Protector(keyslotApp).Protect("made via Keyslot");
        Assert.Equal("made via Keyslot", Protector(stackExchangeApp).Unprotect(token));
        string back = Protector(stackExchangeApp).Protect("answered via StackExchange.Redis");
        Assert.Equal(KeyIdOf(token), KeyIdOf(back)); // it used the Keyslot-made key, made none of its own
        Assert.Equal("answered via StackExchange.Redis", Protector(keyslotApp).Unprotect(back));
        Assert.Equal(1, await LengthOnServerAsync(_cluster, listKey));
        AssertBothRepositoriesReadTheSameRing(listKey, expected: 1);
    }

    [Fact]
    public async Task Keys_made_through_PersistKeysToStackExchangeRedis_are_read_and_used_by_Keyslot()
    {
        string listKey = NewListKey();
        await using ServiceProvider stackExchangeApp = OverStackExchangeRedis(_multiplexer, listKey);
        await using ServiceProvider keyslotApp = OverKeyslot(_client, listKey);

        string token = Protector(stackExchangeApp).Protect("made via StackExchange.Redis");
        Assert.Equal("made via StackExchange.Redis", Protector(keyslotApp).Unprotect(token));
        string back = Protector(keyslotApp).Protect("answered via Keyslot");
        Assert.Equal(KeyIdOf(token), KeyIdOf(back));
        Assert.Equal("answered via Keyslot", Protector(stackExchangeApp).Unprotect(back));
        Assert.Equal(1, await LengthOnServerAsync(_cluster, listKey));
        AssertBothRepositoriesReadTheSameRing(listKey, expected: 1);
    }

    [Fact]
    public async Task Both_repositories_write_the_same_bytes_for_the_same_element()
    {
        string listKey = NewListKey();
        var keyslot = new KeyslotXmlRepository(() => _client, listKey);
        var stackExchange = new RedisXmlRepository(() => _multiplexer.GetDatabase(), listKey);
        XElement element = XElement.Parse("<key id=\"x\" version=\"1\">\n  <descriptor>\n    <value>ä</value>\n  </descriptor>\n</key>");

        keyslot.StoreElement(element, "k");
        stackExchange.StoreElement(element, "s");

        SE.RedisValue[] stored = await _multiplexer.GetDatabase().ListRangeAsync(listKey);
        Assert.Equal(2, stored.Length);
        Assert.Equal((byte[])stored[1]!, (byte[])stored[0]!);
        Assert.Equal(element.ToString(SaveOptions.DisableFormatting), (string?)stored[0]);
        AssertBothRepositoriesReadTheSameRing(listKey, expected: 2);
    }

    private void AssertBothRepositoriesReadTheSameRing(string listKey, int expected)
    {
        IReadOnlyCollection<XElement> viaKeyslot = new KeyslotXmlRepository(() => _client, listKey).GetAllElements();
        IReadOnlyCollection<XElement> viaStackExchange = new RedisXmlRepository(() => _multiplexer.GetDatabase(), listKey).GetAllElements();
        Assert.Equal(expected, viaKeyslot.Count);
        Assert.Equal(viaStackExchange.Count, viaKeyslot.Count);
        Assert.All(viaKeyslot.Zip(viaStackExchange), pair => Assert.True(XNode.DeepEquals(pair.First, pair.Second), $"{pair.First} vs {pair.Second}"));
    }
}
