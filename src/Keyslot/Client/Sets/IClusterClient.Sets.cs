namespace Keyslot;

public partial interface IClusterClient
{
    /// <summary>
    /// Every member of the set at <paramref name="key"/> (optionally only those matching the glob
    /// <paramref name="pattern"/>) as text, read with SSCAN <paramref name="pageSize"/> (a hint for the server) at a
    /// time until the cursor comes back as 0. Each page is a separate read: a member present for the whole scan is
    /// returned at least once, but one may be returned twice when the set changes meanwhile. A missing key yields nothing.
    /// </summary>
    IAsyncEnumerable<string> SetScanAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default);

    /// <summary>The SSCAN enumeration of <see cref="SetScanAsync"/> with each member as exact bytes.</summary>
    IAsyncEnumerable<byte[]> SetScanBytesAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default);
}
