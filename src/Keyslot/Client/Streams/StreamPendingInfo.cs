namespace Keyslot;

/// <summary>XPENDING's summary of a group's pending entries.</summary>
/// <param name="Count">How many entries are pending.</param>
/// <param name="LowestId">The lowest pending ID, or null when none is pending.</param>
/// <param name="HighestId">The highest pending ID, or null when none is pending.</param>
/// <param name="Consumers">Each consumer with pending entries and how many.</param>
public readonly record struct StreamPendingInfo(long Count, string? LowestId, string? HighestId, StreamConsumerPending[] Consumers);

/// <summary>A consumer's count of pending entries (XPENDING summary).</summary>
/// <param name="Name">The consumer.</param>
/// <param name="Count">Its pending entries.</param>
public readonly record struct StreamConsumerPending(string Name, long Count);

/// <summary>One pending entry (XPENDING extended form).</summary>
/// <param name="Id">The entry's ID.</param>
/// <param name="Consumer">The consumer it was delivered to.</param>
/// <param name="Idle">Time since it was last delivered.</param>
/// <param name="DeliveryCount">How many times it was delivered.</param>
public readonly record struct StreamPendingEntry(string Id, string Consumer, TimeSpan Idle, long DeliveryCount);
