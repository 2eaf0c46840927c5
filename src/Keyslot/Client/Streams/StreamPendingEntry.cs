namespace Keyslot;

/// <summary>One pending entry (XPENDING extended form).</summary>
/// <param name="Id">The entry's ID.</param>
/// <param name="Consumer">The consumer it was delivered to.</param>
/// <param name="Idle">Time since it was last delivered.</param>
/// <param name="DeliveryCount">How many times it was delivered.</param>
public readonly record struct StreamPendingEntry(string Id, string Consumer, TimeSpan Idle, long DeliveryCount);
