namespace Keyslot;

/// <summary>Which node of a shard serves read-only commands.</summary>
/// <remarks>
/// Replica reads may be slightly stale (replication is asynchronous). A replica that is gone, loading or answers
/// with a redirect is skipped for that command, which then goes to the primary. With
/// <see cref="ClusterOptions.ClientAvailabilityZone"/> set, nodes in the client's zone are preferred.
/// </remarks>
public enum ReadPolicy
{
    /// <summary>Always read from the shard's primary (consistent reads; the default).</summary>
    Primary,

    /// <summary>Read from a replica when one is available, otherwise from the primary; with a zone set, a same-zone primary beats an other-zone replica.</summary>
    PreferReplica,

    /// <summary>Read from the shard's replicas in turn (round robin); the primary only when no replica can serve.</summary>
    Replica,

    /// <summary>Read from whichever node of the shard (primary or replica) currently answers fastest, as measured on live traffic.</summary>
    LowestLatency,
}
