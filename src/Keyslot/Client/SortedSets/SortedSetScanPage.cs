namespace Keyslot;

/// <summary>One page of ZSCAN: the cursor to pass for the next page (0 when the scan is complete) and this page's entries.</summary>
/// <typeparam name="T">The members' type: <see cref="string"/> (UTF-8 text) or <see cref="byte"/>[] (exact bytes).</typeparam>
/// <param name="Cursor">The cursor for the next call; 0 means the whole sorted set has been scanned.</param>
/// <param name="Entries">The entries of this page (possibly none, even when <paramref name="Cursor"/> is not 0).</param>
public readonly record struct SortedSetScanPage<T>(ulong Cursor, SortedSetEntry<T>[] Entries);
