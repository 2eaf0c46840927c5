namespace Keyslot.SideBySide;

/// <summary>
/// Hands out the operation indexes of a run to its workers a few at a time. With one shared counter per operation,
/// every operation of every client pays for that counter's cache line moving between cores, which costs more than a
/// cache hit does; claiming 16 at a time keeps the harness's share of the client CPU small.
/// </summary>
internal sealed class OperationClaims(long first, long count)
{
    private const int ClaimSize = 16;
    private readonly long _end = first + count;
    private long _next = first;

    /// <summary>The next run of operations, <c>[from, to)</c>; false when none are left.</summary>
    public bool TryClaim(out long from, out long to)
    {
        from = Interlocked.Add(ref _next, ClaimSize) - ClaimSize;
        to = Math.Min(from + ClaimSize, _end);
        return from < _end;
    }
}
