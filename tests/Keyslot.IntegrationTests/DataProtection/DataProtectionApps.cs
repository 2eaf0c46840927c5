using System.Xml.Linq;
using Keyslot.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SE = StackExchange.Redis;

namespace Keyslot.IntegrationTests.DataProtection;

/// <summary>
/// "App instances" for the key ring tests: each its own service provider with DataProtection, as a separate process
/// would have, sharing only the application name and the Redis list.
/// </summary>
internal static class DataProtectionApps
{
    private const string ApplicationName = "keyslot-dataprotection-tests";
    private const string Purpose = "tests";

    /// <summary>A fresh list key per test, so tests on the shared cluster never see each other's rings.</summary>
    public static string NewListKey() => "dp-keys:" + Guid.NewGuid().ToString("N");

    public static ServiceProvider OverKeyslot(IClusterClient client, string listKey) =>
        Services().PersistKeysToKeyslot(client, listKey).Services.BuildServiceProvider();

    public static ServiceProvider OverStackExchangeRedis(SE.IConnectionMultiplexer multiplexer, string listKey) =>
        Services().PersistKeysToStackExchangeRedis(multiplexer, listKey).Services.BuildServiceProvider();

    public static IDataProtectionBuilder Services(IServiceCollection? services = null) =>
        (services ?? new ServiceCollection()).AddLogging().AddDataProtection().SetApplicationName(ApplicationName);

    public static IDataProtector Protector(IServiceProvider app) =>
        app.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    /// <summary>
    /// The id of the key that protected <paramref name="token"/>: a protected payload is base64url of the magic header
    /// 09 F0 C9 F0 followed by the 16-byte key id, so the test can tell which key of the ring was used.
    /// </summary>
    public static Guid KeyIdOf(string token)
    {
        string base64 = token.Replace('-', '+').Replace('_', '/');
        byte[] payload = Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
        Assert.Equal([0x09, 0xF0, 0xC9, 0xF0], payload[..4]);
        return new Guid(payload.AsSpan(4, 16));
    }

    /// <summary>LLEN of the list on the primary of its slot.</summary>
    public static async Task<int> LengthOnServerAsync(LocalRedisCluster cluster, string listKey)
    {
        LocalRedisNode owner = await cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(listKey));
        return int.Parse(await cluster.ExecuteAsync(owner, "LLEN", listKey), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The list's entries as the server holds them (LRANGE on the slot's primary), each parsed as XML.</summary>
    public static async Task<List<XElement>> EntriesOnServerAsync(LocalRedisCluster cluster, string listKey) =>
        [.. (await RawEntriesOnServerAsync(cluster, listKey)).Select(e => XElement.Parse(e))];

    /// <summary>The list's entries as stored text. Unformatted XML has no line breaks, so the newline-joined reply splits back into entries.</summary>
    public static async Task<List<string>> RawEntriesOnServerAsync(LocalRedisCluster cluster, string listKey)
    {
        LocalRedisNode owner = await cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(listKey));
        string reply = await cluster.ExecuteAsync(owner, "LRANGE", listKey, "0", "-1");
        return reply.Length == 0 ? [] : [.. reply.Split('\n')];
    }

    /// <summary>The id attribute of a &lt;key&gt; element of the ring.</summary>
    public static Guid IdOf(XElement key)
    {
        Assert.Equal("key", key.Name.LocalName);
        return Guid.Parse(key.Attribute("id")!.Value);
    }
}
