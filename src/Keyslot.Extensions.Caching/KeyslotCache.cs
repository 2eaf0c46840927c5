using Microsoft.Extensions.Caching.Distributed;

namespace Keyslot.Extensions.Caching;

/// <summary>
/// An <see cref="IDistributedCache"/> (and <see cref="IBufferDistributedCache"/>, which HybridCache uses as its
/// second level) over a Keyslot cluster client, behaving as Microsoft.Extensions.Caching.StackExchangeRedis's
/// RedisCache and storing entries in its layout (a hash of <c>absexp</c>, <c>sldexp</c>, <c>data</c> under
/// InstanceName + key), so the two read each other's entries. The key's TTL is the absolute expiration (whole
/// seconds) or the sliding window, whichever comes first; a read or <see cref="RefreshAsync"/> of a sliding entry
/// renews the window, never past the absolute expiration. The async methods never block; the synchronous ones run on
/// the caller's thread over the client's synchronous road (<see cref="IClusterClient.Execute(string, RedisArgument[])"/>),
/// never over the async ones. The cache does not own the client: the application (or container) disposes it.
/// </summary>
public sealed partial class KeyslotCache : IBufferDistributedCache
{
    private static readonly RedisArgument[] MetadataFields = [CacheEntryLayout.AbsoluteExpirationField, CacheEntryLayout.SlidingExpirationField];

    private readonly IClusterClient _client;
    private readonly string _instanceName;

    /// <summary>Creates a cache over <paramref name="client"/>, its keys prefixed with <paramref name="instanceName"/> (none when null or empty).</summary>
    /// <exception cref="ArgumentException"><paramref name="instanceName"/> contains a hash tag (every entry would land in one slot).</exception>
    public KeyslotCache(IClusterClient client, string? instanceName = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (InstanceNames.Problem(instanceName) is { } problem)
        {
            throw new ArgumentException(problem, nameof(instanceName));
        }
        _client = client;
        _instanceName = instanceName ?? "";
    }

    /// <summary>The prefix of every key this cache stores; empty for none.</summary>
    public string InstanceName => _instanceName;

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        token.ThrowIfCancellationRequested();
        return GetCoreAsync(key, token);
    }

    private async Task<byte[]?> GetCoreAsync(string key, CancellationToken token)
    {
        RespValue entry = await ReadAndRefreshAsync(key, withData: true, token).ConfigureAwait(false);
        return entry[2].AsBytes();
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryGetAsync(string key, System.Buffers.IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(destination);
        token.ThrowIfCancellationRequested();
        RespValue entry = await ReadAndRefreshAsync(key, withData: true, token).ConfigureAwait(false);
        return CopyData(entry, destination);
    }

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return SetCoreAsync(key, value, options, token).AsTask();
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, System.Buffers.ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        SetCoreAsync(key, Contiguous(value), options, token);

    private async ValueTask SetCoreAsync(string key, ReadOnlyMemory<byte> value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        token.ThrowIfCancellationRequested();
        RedisArgument[] args = EntryArguments(value, options);
        await SetEntryScript.RunAsync(_client, Prefixed(key), args, token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        token.ThrowIfCancellationRequested();
        await ReadAndRefreshAsync(key, withData: false, token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        token.ThrowIfCancellationRequested();
        await _client.ExecuteAsync("DEL", [Prefixed(key)], token).ConfigureAwait(false);
    }

    /// <summary>HMGET of the metadata (and data), then, for a sliding entry, the renewed TTL: RedisCache's two steps.</summary>
    private async ValueTask<RespValue> ReadAndRefreshAsync(string key, bool withData, CancellationToken token)
    {
        string prefixed = Prefixed(key);
        RespValue entry = await _client.ExecuteAsync("HMGET", ReadArguments(prefixed, withData), token).ConfigureAwait(false);
        if (RenewedTtl(entry) is { } expire)
        {
            await _client.ExecuteAsync(expire.Command, [prefixed, expire.Amount], token).ConfigureAwait(false);
        }
        return entry;
    }

    private string Prefixed(string key) => _instanceName.Length == 0 ? key : _instanceName + key;

    private static RedisArgument[] ReadArguments(string prefixed, bool withData) => withData
        ? [prefixed, CacheEntryLayout.AbsoluteExpirationField, CacheEntryLayout.SlidingExpirationField, CacheEntryLayout.DataField]
        : [prefixed, .. MetadataFields];

    /// <summary>The script's arguments for a Set now: throws, as RedisCache does, for an absolute expiration in the past.</summary>
    private static RedisArgument[] EntryArguments(ReadOnlyMemory<byte> value, DistributedCacheEntryOptions options)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset? absolute = CacheExpiration.Absolute(now, options);
        long? ttl = CacheExpiration.SetTtlSeconds(now, absolute, options.SlidingExpiration);
        return SetEntryScript.Arguments(absolute, options.SlidingExpiration, value, ttl);
    }

    /// <summary>The EXPIRE/PEXPIRE a read owes a sliding entry; null for an entry without a sliding window (or none at all).</summary>
    private static (string Command, long Amount)? RenewedTtl(RespValue entry)
    {
        (DateTimeOffset? absolute, TimeSpan? sliding) = CacheEntryLayout.ReadMetadata(entry);
        return sliding is { } window
            ? CacheExpiration.ExpireCommand(CacheExpiration.RefreshWindow(DateTimeOffset.UtcNow, absolute, window))
            : null;
    }

    private static bool CopyData(RespValue entry, System.Buffers.IBufferWriter<byte> destination)
    {
        RespValue data = entry[2];
        if (data.IsNull)
        {
            return false;
        }
        ReadOnlySpan<byte> bytes = data.AsMemory().Span;
        bytes.CopyTo(destination.GetSpan(bytes.Length));
        destination.Advance(bytes.Length);
        return true;
    }

    // A sequence of one segment (HybridCache's usual case) is sent without a copy.
    private static ReadOnlyMemory<byte> Contiguous(in System.Buffers.ReadOnlySequence<byte> value) =>
        value.IsSingleSegment ? value.First : System.Buffers.BuffersExtensions.ToArray(value);
}
