namespace Keyslot;

/// <summary>Which node of a shard serves read-only commands.</summary>
/// <remarks>
/// All values are parsed (configuration key <c>readFrom</c>) so configurations stay portable, but the
/// client currently routes every command to the primary; the other policies are reserved.
/// </remarks>
public enum ReadPolicy
{
    /// <summary>Always read from the shard's primary (consistent reads; the default).</summary>
    Primary,

    /// <summary>Read from a replica when one is available, otherwise from the primary.</summary>
    PreferReplica,

    /// <summary>Read only from replicas.</summary>
    Replica,

    /// <summary>Read from whichever node of the shard currently answers fastest.</summary>
    LowestLatency,
}
