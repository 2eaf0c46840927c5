namespace Keyslot;

/// <summary>One page of SSCAN: the cursor to pass for the next page (0 when the scan is complete) and this page's members.
/// Record equality compares <see cref="Members"/> by reference, not element by element.</summary>
/// <typeparam name="T">The members' type: <see cref="string"/> (UTF-8 text) or <see cref="byte"/>[] (exact bytes).</typeparam>
/// <param name="Cursor">The cursor for the next call; 0 means the whole set has been scanned.</param>
/// <param name="Members">The members of this page (possibly none, even when <paramref name="Cursor"/> is not 0).</param>
public readonly record struct SetScanPage<T>(ulong Cursor, T[] Members);
