using System.Buffers;

namespace Keyslot.Tests.Protocol;

/// <summary>Builds multi-segment sequences so every parse path is exercised at every split point.</summary>
internal static class Sequences
{
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    /// <summary>A sequence made of the given parts, each its own segment (each copied into its own array).</summary>
    public static ReadOnlySequence<byte> FromParts(params byte[][] parts)
    {
        if (parts.Length == 0) return ReadOnlySequence<byte>.Empty;
        var first = new Segment(parts[0].ToArray(), 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++) last = last.Append(parts[i].ToArray());
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary><paramref name="before"/>, then <paramref name="count"/> segments all over one shared array of <paramref name="shared"/>, then <paramref name="after"/>.</summary>
    public static ReadOnlySequence<byte> FromSharedParts(byte[] before, string shared, int count, byte[] after)
    {
        byte[] payload = System.Text.Encoding.ASCII.GetBytes(shared);
        var first = new Segment(before, 0);
        Segment last = first;
        for (int i = 0; i < count; i++) last = last.Append(payload);
        last = last.Append(after);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Two segments split at <paramref name="at"/>.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, int at) => FromParts(data[..at], data[at..]);

    /// <summary>One segment per byte.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        var parts = new byte[data.Length][];
        for (int i = 0; i < data.Length; i++) parts[i] = [data[i]];
        return FromParts(parts);
    }

    /// <summary>
    /// What a pipe reader sees while <paramref name="data"/> arrives <paramref name="piece"/> bytes at a time into
    /// segments of <paramref name="segment"/> bytes: one growing sequence per arrival, all over the same segments.
    /// </summary>
    public static List<ReadOnlySequence<byte>> PipePrefixes(byte[] data, int piece, int segment)
    {
        var segments = new List<Segment>();
        for (int at = 0; at < data.Length; at += segment)
        {
            var memory = new ReadOnlyMemory<byte>(data, at, Math.Min(segment, data.Length - at));
            segments.Add(segments.Count == 0 ? new Segment(memory, 0) : segments[^1].Append(memory));
        }
        var prefixes = new List<ReadOnlySequence<byte>>();
        for (int end = Math.Min(piece, data.Length); ; end = Math.Min(end + piece, data.Length))
        {
            Segment last = segments[(end - 1) / segment];
            prefixes.Add(new ReadOnlySequence<byte>(segments[0], 0, last, end - (int)last.RunningIndex));
            if (end == data.Length) break;
        }
        return prefixes;
    }

    /// <summary>The data as a single segment, split at every index, and one byte per segment.</summary>
    public static IEnumerable<ReadOnlySequence<byte>> AllShapes(byte[] data)
    {
        yield return new ReadOnlySequence<byte>(data);
        for (int at = 0; at <= data.Length; at++) yield return Split(data, at);
        if (data.Length > 0) yield return OneBytePerSegment(data);
    }
}
