namespace Keyslot;

/// <summary>The options of XCLAIM beyond its minimum idle time.</summary>
public readonly record struct StreamClaimOptions
{
    /// <summary>IDLE: the idle time the claimed entries get (default: zero, as just delivered). Not with <see cref="Time"/>.</summary>
    public TimeSpan? Idle { get; init; }

    /// <summary>TIME: the claimed entries' last delivery as an absolute time, instead of <see cref="Idle"/>.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>RETRYCOUNT: the delivery count the claimed entries get (default: incremented).</summary>
    public long? RetryCount { get; init; }

    /// <summary>FORCE: claim IDs even when they are not pending (they must still exist in the stream).</summary>
    public bool Force { get; init; }
}
