namespace Keyslot;

/// <summary>XPENDING's summary of a group's pending entries.</summary>
/// <param name="Count">How many entries are pending.</param>
/// <param name="LowestId">The lowest pending ID, or null when none is pending.</param>
/// <param name="HighestId">The highest pending ID, or null when none is pending.</param>
/// <param name="Consumers">Each consumer with pending entries and how many.</param>
public readonly record struct StreamPendingInfo(long Count, string? LowestId, string? HighestId, StreamConsumerPending[] Consumers);
