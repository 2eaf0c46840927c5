namespace Keyslot;

/// <summary>A consumer's count of pending entries (XPENDING summary).</summary>
/// <param name="Name">The consumer.</param>
/// <param name="Count">Its pending entries.</param>
public readonly record struct StreamConsumerPending(string Name, long Count);
