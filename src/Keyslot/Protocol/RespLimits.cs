namespace Keyslot.Protocol;

/// <summary>
/// Bounds the parser enforces on untrusted input, so a corrupt or hostile stream fails fast with a
/// <see cref="RespProtocolException"/> instead of exhausting memory or stack. Immutable after construction.
/// </summary>
internal sealed class RespLimits
{
    /// <summary>The hard upper bound for <see cref="MaxDepth"/>: the reader recurses once per nesting level.</summary>
    public const int AbsoluteMaxDepth = 1024;

    /// <summary>The hard upper bound for <see cref="MaxAggregateLength"/>: a map of this many pairs still fits one .NET array.</summary>
    public const long AbsoluteMaxAggregateLength = 1_000_000_000;

    private readonly long _maxBulkLength = 512L * 1024 * 1024;
    private readonly int _maxDepth = 64;
    private readonly long _maxAggregateLength = 64L * 1024 * 1024;

    /// <summary>The defaults: 512 MiB bulk strings (the Redis <c>proto-max-bulk-len</c> default), depth 64, 64 Mi elements per aggregate.</summary>
    public static RespLimits Default { get; } = new();

    /// <summary>
    /// Largest bulk string, bulk error, verbatim string or streamed-string total, and longest simple line, in bytes.
    /// Default 512 MiB, the server's own default limit; at most <see cref="Array.MaxLength"/>.
    /// </summary>
    public long MaxBulkLength
    {
        get => _maxBulkLength;
        init => _maxBulkLength = value is > 0 and <= int.MaxValue - 64
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxBulkLength must be between 1 and about 2 GiB.");
    }

    /// <summary>
    /// Deepest nesting of aggregates (arrays, maps, sets, pushes, attributes) in one frame. Default 64: real replies
    /// nest at most about 5 levels (CLUSTER SHARDS), so this only stops abuse. At most <see cref="AbsoluteMaxDepth"/>.
    /// </summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init => _maxDepth = value is > 0 and <= AbsoluteMaxDepth
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxDepth must be between 1 and 1024.");
    }

    /// <summary>
    /// Most elements in one aggregate (for maps and attributes: pairs). Default 64 Mi: above what KEYS/SMEMBERS
    /// replies reach in practice. At most <see cref="AbsoluteMaxAggregateLength"/>.
    /// </summary>
    public long MaxAggregateLength
    {
        get => _maxAggregateLength;
        init => _maxAggregateLength = value is >= 0 and <= AbsoluteMaxAggregateLength
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxAggregateLength must be between 0 and 1e9.");
    }
}
