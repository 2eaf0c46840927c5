namespace Keyslot;

/// <summary>XINFO STREAM: a stream's state. Fields a server does not report (older versions) are zero or null.</summary>
public sealed class StreamInfo
{
    /// <summary>Number of entries.</summary>
    public long Length { get; init; }

    /// <summary>Keys of the underlying radix tree.</summary>
    public long RadixTreeKeys { get; init; }

    /// <summary>Nodes of the underlying radix tree.</summary>
    public long RadixTreeNodes { get; init; }

    /// <summary>Number of consumer groups.</summary>
    public long Groups { get; init; }

    /// <summary>The last ID added (it stays after the entry is deleted).</summary>
    public string LastGeneratedId { get; init; } = "";

    /// <summary>The highest ID deleted (Redis 7.0+).</summary>
    public string? MaxDeletedEntryId { get; init; }

    /// <summary>How many entries were ever added (Redis 7.0+).</summary>
    public long EntriesAdded { get; init; }

    /// <summary>The first entry's ID as recorded (Redis 7.0+).</summary>
    public string? RecordedFirstEntryId { get; init; }

    /// <summary>The first entry, or null when the stream is empty.</summary>
    public StreamEntry? FirstEntry { get; init; }

    /// <summary>The last entry, or null when the stream is empty.</summary>
    public StreamEntry? LastEntry { get; init; }
}

/// <summary>XINFO GROUPS: one consumer group.</summary>
/// <param name="Name">The group.</param>
/// <param name="Consumers">Its consumers.</param>
/// <param name="Pending">Entries delivered but not acknowledged.</param>
/// <param name="LastDeliveredId">The last ID delivered to the group.</param>
/// <param name="EntriesRead">The logical read counter (Redis 7.0+; null when unknown).</param>
/// <param name="Lag">Entries not yet delivered (Redis 7.0+; null when the server cannot tell).</param>
public readonly record struct StreamGroupInfo(string Name, long Consumers, long Pending, string LastDeliveredId, long? EntriesRead, long? Lag);

/// <summary>XINFO CONSUMERS: one consumer of a group.</summary>
/// <param name="Name">The consumer.</param>
/// <param name="Pending">Its pending entries.</param>
/// <param name="Idle">Time since it last interacted (read, claimed).</param>
/// <param name="Inactive">Time since its last successful read or claim (Redis 7.2+; null on older servers or when it never read).</param>
public readonly record struct StreamConsumerInfo(string Name, long Pending, TimeSpan Idle, TimeSpan? Inactive);
