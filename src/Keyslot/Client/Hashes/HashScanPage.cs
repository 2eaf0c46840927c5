namespace Keyslot;

/// <summary>One page of HSCAN.</summary>
/// <typeparam name="T">The values' type: <see cref="string"/> (UTF-8 text) or <see cref="byte"/>[] (exact bytes).</typeparam>
/// <param name="Cursor">The cursor for the next call; 0 means the whole hash has been scanned.</param>
/// <param name="Entries">The fields (as text) and values of this page (possibly none, even when <paramref name="Cursor"/> is not 0).</param>
public readonly record struct HashScanPage<T>(ulong Cursor, KeyValuePair<string, T>[] Entries);
