namespace Keyslot;

/// <summary>
/// A trim of a stream: <c>MAXLEN</c> or <c>MINID</c>, exact (<c>=</c>) or approximate (<c>~</c>, cheaper: whole radix
/// nodes), with an optional <c>LIMIT</c> on how many entries one call may evict (approximate trims only). Made with
/// <see cref="MaxLength"/> or <see cref="MinId"/>, which check the arguments.
/// </summary>
public readonly record struct StreamTrim
{
    private StreamTrim(StreamTrimStrategy strategy, long maxLength, string? minId, bool approximate, long? limit)
    {
        Strategy = strategy;
        MaxLengthValue = maxLength;
        MinIdValue = minId;
        Approximate = approximate;
        Limit = limit;
    }

    /// <summary>MAXLEN or MINID.</summary>
    public StreamTrimStrategy Strategy { get; }

    /// <summary>The length kept, for <see cref="StreamTrimStrategy.MaxLength"/>.</summary>
    public long MaxLengthValue { get; }

    /// <summary>The lowest ID kept, for <see cref="StreamTrimStrategy.MinId"/>.</summary>
    public string? MinIdValue { get; }

    /// <summary>True for <c>~</c> (approximate), false for <c>=</c> (exact).</summary>
    public bool Approximate { get; }

    /// <summary>LIMIT: the most entries one call evicts (approximate only); null for the server's default.</summary>
    public long? Limit { get; }

    /// <summary>MAXLEN: keep the newest <paramref name="maxLength"/> entries.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> or <paramref name="limit"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="limit"/> without <paramref name="approximate"/>.</exception>
    public static StreamTrim MaxLength(long maxLength, bool approximate = false, long? limit = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        CheckLimit(approximate, limit);
        return new StreamTrim(StreamTrimStrategy.MaxLength, maxLength, null, approximate, limit);
    }

    /// <summary>MINID: drop the entries whose IDs are lower than <paramref name="minId"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="minId"/> is empty, or <paramref name="limit"/> without <paramref name="approximate"/>.</exception>
    public static StreamTrim MinId(string minId, bool approximate = false, long? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(minId);
        CheckLimit(approximate, limit);
        return new StreamTrim(StreamTrimStrategy.MinId, 0, minId, approximate, limit);
    }

    private static void CheckLimit(bool approximate, long? limit)
    {
        if (limit is not { } value) return;
        ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(limit));
        if (!approximate) throw new ArgumentException("LIMIT applies to approximate (~) trims only.", nameof(limit));
    }
}
