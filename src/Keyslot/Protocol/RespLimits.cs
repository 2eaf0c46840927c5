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

    /// <summary>Default <see cref="MaxBulkLength"/>: 64 MiB.</summary>
    public const long DefaultMaxBulkLength = 64L * 1024 * 1024;

    /// <summary>Default <see cref="MaxFrameLength"/>: 128 MiB, two bulk strings at the default limit.</summary>
    public const long DefaultMaxFrameLength = 2 * DefaultMaxBulkLength;

    private readonly long _maxBulkLength = DefaultMaxBulkLength;
    private readonly long _maxFrameLength = DefaultMaxFrameLength;
    private readonly int _maxDepth = 64;
    private readonly long _maxAggregateLength = 64L * 1024 * 1024;

    /// <summary>
    /// The defaults: 64 MiB bulk strings, 128 MiB frames, depth 64, 64 Mi elements per aggregate. A connection
    /// buffers at most one frame, so a server claiming or sending more costs at most about 128 MiB before the
    /// connection fails (the server's own string limit, <c>proto-max-bulk-len</c>, is 512 MiB: raise
    /// <see cref="MaxBulkLength"/> for values above 64 MiB).
    /// </summary>
    public static RespLimits Default { get; } = new();

    /// <summary>
    /// The limits for a configured <c>maxBulkLength</c>: that bulk limit, and frames of up to twice it (at least
    /// <see cref="DefaultMaxFrameLength"/>, at most about 2 GiB). <see cref="Default"/> for the default.
    /// </summary>
    public static RespLimits ForMaxBulkLength(long maxBulkLength) => maxBulkLength == DefaultMaxBulkLength
        ? Default
        : new RespLimits { MaxBulkLength = maxBulkLength, MaxFrameLength = Math.Clamp(2 * maxBulkLength, DefaultMaxFrameLength, int.MaxValue - 64) };

    /// <summary>
    /// Largest bulk string, bulk error, verbatim string or streamed-string total, and longest simple line, in bytes.
    /// Default 64 MiB (<see cref="DefaultMaxBulkLength"/>); at most <see cref="Array.MaxLength"/>.
    /// </summary>
    public long MaxBulkLength
    {
        get => _maxBulkLength;
        init => _maxBulkLength = value is > 0 and <= int.MaxValue - 64
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxBulkLength must be between 1 and about 2 GiB.");
    }

    /// <summary>
    /// Largest whole frame (one reply with its attributes, or one push), in bytes: what one connection buffers at
    /// most for a reply it has not finished receiving. A frame whose declared lengths already pass it fails at once,
    /// before its payload is awaited. Default 128 MiB (<see cref="DefaultMaxFrameLength"/>); at most about 2 GiB.
    /// </summary>
    public long MaxFrameLength
    {
        get => _maxFrameLength;
        init => _maxFrameLength = value is > 0 and <= int.MaxValue - 64
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxFrameLength must be between 1 and about 2 GiB.");
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
