namespace Keyslot.Protocol;

/// <summary>
/// Counts the parser's work on the current thread, so tests can show that it grows linearly with the input without
/// timing anything. Only the paths that revisit input count (resuming a partial frame, skipping or materializing
/// elements); the fast paths over complete frames do not touch it.
/// </summary>
internal static class RespWork
{
    /// <summary>Elements the reader walked (skipped, counted or materialized).</summary>
    [ThreadStatic] internal static long Elements;

    /// <summary>
    /// Bytes the scanner moved over again to resume a partial frame (seeking to where it stopped, searching a pending
    /// simple line, checking where it may resume), plus bytes of simple lines searched.
    /// </summary>
    [ThreadStatic] internal static long Bytes;

    /// <summary>Sets both counters to zero.</summary>
    internal static void Reset()
    {
        Elements = 0;
        Bytes = 0;
    }
}
