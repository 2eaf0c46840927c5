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
