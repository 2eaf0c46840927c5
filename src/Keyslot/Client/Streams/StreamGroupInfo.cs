namespace Keyslot;

/// <summary>XINFO GROUPS: one consumer group.</summary>
/// <param name="Name">The group.</param>
/// <param name="Consumers">Its consumers.</param>
/// <param name="Pending">Entries delivered but not acknowledged.</param>
/// <param name="LastDeliveredId">The last ID delivered to the group.</param>
/// <param name="EntriesRead">The logical read counter (Redis 7.0+; null when unknown).</param>
/// <param name="Lag">Entries not yet delivered (Redis 7.0+; null when the server cannot tell).</param>
public readonly record struct StreamGroupInfo(string Name, long Consumers, long Pending, string LastDeliveredId, long? EntriesRead, long? Lag);
