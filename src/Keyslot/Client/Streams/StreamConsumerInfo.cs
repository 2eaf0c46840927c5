namespace Keyslot;

/// <summary>XINFO CONSUMERS: one consumer of a group.</summary>
/// <param name="Name">The consumer.</param>
/// <param name="Pending">Its pending entries.</param>
/// <param name="Idle">Time since it last interacted (read, claimed).</param>
/// <param name="Inactive">Time since its last successful read or claim (Redis 7.2+; null on older servers or when it never read).</param>
public readonly record struct StreamConsumerInfo(string Name, long Pending, TimeSpan Idle, TimeSpan? Inactive);
