using Microsoft.Extensions.Caching.Distributed;

namespace Keyslot.Extensions.Caching;

/// <summary>
/// The synchronous half: the same steps as the async one, each a synchronous command on the caller's thread
/// (<see cref="IClusterClient.Execute(string, RedisArgument[])"/>), so it neither waits on the thread pool nor
/// deadlocks under a synchronization context.
/// </summary>
public sealed partial class KeyslotCache
{
    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadAndRefresh(key, withData: true)[2].AsBytes();
    }

    /// <inheritdoc />
    public bool TryGet(string key, System.Buffers.IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(destination);
        return CopyData(ReadAndRefresh(key, withData: true), destination);
    }

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        SetCore(key, value, options);
    }

    /// <inheritdoc />
    public void Set(string key, System.Buffers.ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) =>
        SetCore(key, Contiguous(value), options);

    private void SetCore(string key, ReadOnlyMemory<byte> value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        SetEntryScript.Run(_client, Prefixed(key), EntryArguments(value, options));
    }

    /// <inheritdoc />
    public void Refresh(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ReadAndRefresh(key, withData: false);
    }

    /// <inheritdoc />
    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _client.Execute("DEL", Prefixed(key));
    }

    private RespValue ReadAndRefresh(string key, bool withData)
    {
        string prefixed = Prefixed(key);
        RespValue entry = _client.Execute("HMGET", ReadArguments(prefixed, withData));
        if (RenewedTtl(entry) is { } expire)
        {
            _client.Execute(expire.Command, prefixed, expire.Amount);
        }
        return entry;
    }
}
