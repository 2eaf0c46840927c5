using System.Runtime.CompilerServices;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public IAsyncEnumerable<SortedSetEntry<string>> SortedSetScanAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return ScanSortedSetAsync(key, pattern, pageSize, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<SortedSetEntry<byte[]>> SortedSetScanBytesAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return ScanSortedSetBytesAsync(key, pattern, pageSize, cancellationToken);
    }

    private async IAsyncEnumerable<SortedSetEntry<string>> ScanSortedSetAsync(RedisKey key, string? pattern, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ulong cursor = 0;
        do
        {
            SortedSetScanPage<string> page = await SortedSetScanPageAsync(key, cursor, pattern, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (SortedSetEntry<string> entry in page.Entries) yield return entry;
            cursor = page.Cursor;
        }
        while (cursor != 0);
    }

    private async IAsyncEnumerable<SortedSetEntry<byte[]>> ScanSortedSetBytesAsync(RedisKey key, string? pattern, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ulong cursor = 0;
        do
        {
            SortedSetScanPage<byte[]> page = await SortedSetScanPageBytesAsync(key, cursor, pattern, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (SortedSetEntry<byte[]> entry in page.Entries) yield return entry;
            cursor = page.Cursor;
        }
        while (cursor != 0);
    }
}
