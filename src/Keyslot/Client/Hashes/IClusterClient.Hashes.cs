namespace Keyslot;

public partial interface IClusterClient
{
    /// <summary>
    /// HSCAN page after page until the whole hash has been seen: every field present for the whole scan comes at
    /// least once (a field may repeat, as with SCAN). Each page is an ordinary routed read that follows the key's slot.
    /// </summary>
    IAsyncEnumerable<KeyValuePair<string, string>> HashScanAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default);
}
