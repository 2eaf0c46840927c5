using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Keyslot.AspNetCore.DataProtection;

/// <summary>
/// An <see cref="IXmlRepository"/> that keeps the DataProtection key ring in one Redis list, stored exactly as
/// Microsoft.AspNetCore.DataProtection.StackExchangeRedis's <c>RedisXmlRepository</c> stores it: each element is
/// appended with <c>RPUSH</c> as unformatted XML, and the ring is read whole with <c>LRANGE key 0 -1</c>. Either
/// repository reads what the other wrote, so an application can move between them without losing its keys.
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous, so both calls use <see cref="IClusterClient.Execute"/>, which runs
/// on the caller's thread over blocking sockets: no sync-over-async, no thread-pool thread needed. The list is one
/// key, so it lives in one slot and is read and written on that slot's primary, following MOVED and failovers.
/// </remarks>
public sealed class KeyslotXmlRepository : IXmlRepository
{
    private readonly Func<IClusterClient> _clientFactory;
    private readonly RedisKey _key;

    /// <summary>Creates a repository that keeps the key ring in the list at <paramref name="key"/>.</summary>
    /// <param name="clientFactory">Gives the client for each read or write (called every time, as Microsoft's database factory is).</param>
    /// <param name="key">The Redis key of the list (Microsoft's default is <c>DataProtection-Keys</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="clientFactory"/> or <paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or white space.</exception>
    public KeyslotXmlRepository(Func<IClusterClient> clientFactory, string key)
    {
        ArgumentNullException.ThrowIfNull(clientFactory);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _clientFactory = clientFactory;
        _key = new RedisKey(key);
        Key = key;
    }

    /// <summary>The Redis key of the list that holds the key ring.</summary>
    public string Key { get; }

    /// <inheritdoc />
    /// <remarks>
    /// An entry that is not well-formed XML fails the whole read rather than being skipped: it may be a revocation,
    /// and a key ring missing one is worse than an error (Microsoft's repository does the same).
    /// </remarks>
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        RespValue reply = Client().Execute("LRANGE", _key, 0, -1);
        var elements = new List<XElement>(reply.Count);
        foreach (RespValue entry in reply.AsArray())
        {
            string xml = entry.AsString() ?? throw new InvalidOperationException($"The DataProtection key ring list '{Key}' holds a null entry.");
            elements.Add(XElement.Parse(xml));
        }
        return elements.AsReadOnly();
    }

    /// <inheritdoc />
    /// <remarks><paramref name="friendlyName"/> is not stored, as in Microsoft's repository: the list holds the XML only.</remarks>
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        Client().Execute("RPUSH", _key, element.ToString(SaveOptions.DisableFormatting));
    }

    private IClusterClient Client() =>
        _clientFactory() ?? throw new InvalidOperationException("The client factory of the DataProtection key ring returned null.");
}
