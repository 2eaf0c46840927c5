using System.Runtime.CompilerServices;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public IAsyncEnumerable<KeyValuePair<string, string>> HashScanAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1, nameof(pageSize));
        return ScanHashAsync(key, pattern, pageSize, cancellationToken);
    }

    private async IAsyncEnumerable<KeyValuePair<string, string>> ScanHashAsync(RedisKey key, string? pattern, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ulong cursor = 0;
        do
        {
            HashScanPage<string> page = await HashScanPageAsync(key, cursor, pattern, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (KeyValuePair<string, string> entry in page.Entries) yield return entry;
            cursor = page.Cursor;
        }
        while (cursor != 0);
    }
}
