using System.Runtime.CompilerServices;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public IAsyncEnumerable<string> SetScanAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1, nameof(pageSize));
        return ScanSetAsync(key, pattern, pageSize, SetMerge.AsText, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<byte[]> SetScanBytesAsync(RedisKey key, string? pattern = null, int pageSize = 250, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1, nameof(pageSize));
        return ScanSetAsync(key, pattern, pageSize, SetMerge.AsBytes, cancellationToken);
    }

    /// <summary>SSCAN page after page (each an ordinary routed read, following the set's slot if it moves) until the cursor is 0.</summary>
    private async IAsyncEnumerable<T> ScanSetAsync<T>(RedisKey key, string? pattern, int pageSize, Func<byte[], T> convert,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ulong cursor = 0;
        do
        {
            SetScanPage<byte[]> page = await SetScanPageBytesAsync(key, cursor, pattern, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (byte[] member in page.Members) yield return convert(member);
            cursor = page.Cursor;
        }
        while (cursor != 0);
    }

    /// <summary>
    /// SUNION / SINTER / SDIFF over keys in several slots: one part per slot, all written at once (grouped by node),
    /// merged here on the members' bytes. Union: the union of each slot's SUNION. Intersection: the intersection of each
    /// slot's SINTER. Difference: the first key's slot runs SDIFF (the first key first, then that slot's other keys),
    /// every other slot a SUNION, and the result is the first part without the members of the others. Exact, but not
    /// one snapshot: the parts are read at slightly different moments.
    /// </summary>
    internal async ValueTask<T[]> SetCombineAcrossSlotsAsync<T>(SetOperation operation, RedisKey[] keys, Func<byte[], T> convert, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var groups = SplitBySlot(keys);
        var parts = new ValueTask<byte[][]>[groups.Count];
        var operations = new List<Operation>(groups.Count);
        int index = 0;
        foreach (KeyValuePair<int, List<int>> group in groups.Groups)
        {
            // SlotGroups keeps first-seen order: the first group holds the first key, at its start.
            string name = operation switch
            {
                SetOperation.Union => "SUNION",
                SetOperation.Intersect => "SINTER",
                _ => index == 0 ? "SDIFF" : "SUNION",
            };
            ArgumentScratch scratch = default;
            var builder = new CommandBuilder(scratch);
            foreach (int position in group.Value) builder.Add(keys[position]);
            operations.Add(Operation<byte[][]>.Prepare(_router, builder.Build(name), group.Key, Read, SetReplies.Bytes, cancellationToken, _readPolicy, out parts[index++]));
        }
        _router.DispatchBatch(operations);

        HashSet<byte[]>? merged = null;
        Exception? failure = null;
        for (int i = 0; i < parts.Length; i++)
        {
            byte[][] members;
            try
            {
                members = await parts[i].ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure ??= ex; // every part is awaited, so none is left unobserved
                continue;
            }
            if (failure is not null) continue;
            if (merged is null)
            {
                merged = new HashSet<byte[]>(members, SetMerge.ByteComparer.Instance);
                continue;
            }
            switch (operation)
            {
                case SetOperation.Union:
                    merged.UnionWith(members);
                    break;
                case SetOperation.Intersect:
                    merged.IntersectWith(members);
                    break;
                default:
                    merged.ExceptWith(members);
                    break;
            }
        }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        var result = new T[merged!.Count];
        int n = 0;
        foreach (byte[] member in merged) result[n++] = convert(member);
        return result;
    }
}
