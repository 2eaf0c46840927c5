using System.Xml.Linq;
using Keyslot.AspNetCore.DataProtection;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using static Keyslot.IntegrationTests.DataProtection.DataProtectionApps;

namespace Keyslot.IntegrationTests.DataProtection;

/// <summary>Two app instances share one key ring through Keyslot; the ring is the Redis list at the configured key.</summary>
[Collection(ClusterCollection.Name)]
public sealed class KeyRingSharingTests(ClusterFixture fixture)
{
    private readonly LocalRedisCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Two_app_instances_protect_and_unprotect_each_others_data_with_one_key_in_the_Redis_list()
    {
        string listKey = NewListKey();
        await using ClusterClient firstClient = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        await using ClusterClient secondClient = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        await using ServiceProvider first = OverKeyslot(firstClient, listKey);
        await using ServiceProvider second = OverKeyslot(secondClient, listKey);

        string fromFirst = Protector(first).Protect("order 42");
        XElement key = Assert.Single(await EntriesOnServerAsync(_cluster, listKey)); // the first instance made the ring's only key
        Assert.Equal(IdOf(key), KeyIdOf(fromFirst));

        Assert.Equal("order 42", Protector(second).Unprotect(fromFirst));
        string fromSecond = Protector(second).Protect("order 43");
        Assert.Equal(IdOf(key), KeyIdOf(fromSecond)); // the second used the stored key rather than making its own
        Assert.Equal("order 43", Protector(first).Unprotect(fromSecond));
        Assert.Equal(1, await LengthOnServerAsync(_cluster, listKey));
        Assert.Equal(IdOf(key), Assert.Single(second.GetRequiredService<IKeyManager>().GetAllKeys()).KeyId);
    }

    [Fact]
    public async Task A_new_key_made_by_one_instance_is_appended_to_the_list_and_used_by_the_other()
    {
        string listKey = NewListKey();
        await using ClusterClient client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        await using ServiceProvider first = OverKeyslot(client, listKey);
        Protector(first).Protect("warm-up");

        // Rotation in one instance: a second key, active at once, appended after the first.
        IKey rotated = first.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        List<XElement> entries = await EntriesOnServerAsync(_cluster, listKey);
        Assert.Equal(2, entries.Count);
        Assert.Equal(rotated.KeyId, IdOf(entries[1]));

        // A fresh instance reads both and protects with the newer one.
        await using ServiceProvider second = OverKeyslot(client, listKey);
        Assert.Equal(2, second.GetRequiredService<IKeyManager>().GetAllKeys().Count);
        string token = Protector(second).Protect("after rotation");
        Assert.Equal(rotated.KeyId, KeyIdOf(token));
        Assert.Equal("after rotation", Protector(first).Unprotect(token));
    }

    [Fact]
    public async Task Each_element_is_stored_as_unformatted_XML_and_read_back_in_order()
    {
        string listKey = NewListKey();
        await using ClusterClient client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        var repository = new KeyslotXmlRepository(() => client, listKey);
        Assert.Empty(repository.GetAllElements()); // no list yet

        XElement formatted = XElement.Parse("<key id=\"a\">\n  <creationDate>2026-01-01T00:00:00Z</creationDate>\n  <value>é ü 鍵</value>\n</key>");
        var second = new XElement("revocation", new XAttribute("version", "1"), new XElement("reason", "rotated"));
        repository.StoreElement(formatted, "friendly-a");
        repository.StoreElement(second, "friendly-b");

        Assert.Equal([formatted.ToString(SaveOptions.DisableFormatting), second.ToString(SaveOptions.DisableFormatting)],
            await RawEntriesOnServerAsync(_cluster, listKey));
        IReadOnlyCollection<XElement> read = repository.GetAllElements();
        Assert.Equal(2, read.Count);
        Assert.True(XNode.DeepEquals(formatted, read.First()));
        Assert.True(XNode.DeepEquals(second, read.Last()));
    }

    [Fact]
    public async Task An_entry_that_is_not_XML_fails_the_whole_read_instead_of_being_skipped()
    {
        string listKey = NewListKey();
        await using ClusterClient client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        var repository = new KeyslotXmlRepository(() => client, listKey);
        repository.StoreElement(new XElement("key", new XAttribute("id", Guid.NewGuid())), "k");
        await client.ListRightPushAsync(listKey, "not <xml");

        Assert.Throws<System.Xml.XmlException>(() => repository.GetAllElements());
    }
}
