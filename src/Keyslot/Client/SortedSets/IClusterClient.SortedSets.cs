namespace Keyslot;

public partial interface IClusterClient
{
    /// <summary>
    /// Every entry of the sorted set at <paramref name="key"/> (optionally matching <paramref name="pattern"/>), read
    /// with ZSCAN <paramref name="pageSize"/> at a time from the node that owns the key. An entry may come twice when
    /// the set changes during the scan; one that is there for the whole scan comes at least once.
    /// </summary>
    IAsyncEnumerable<SortedSetEntry<string>> SortedSetScanAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default);

    /// <summary>The ZSCAN enumeration of <see cref="SortedSetScanAsync"/> with each member as exact bytes.</summary>
    IAsyncEnumerable<SortedSetEntry<byte[]>> SortedSetScanBytesAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default);
}
