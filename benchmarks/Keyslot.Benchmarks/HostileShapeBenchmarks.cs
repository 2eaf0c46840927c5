using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Keyslot.Protocol;

namespace Keyslot.Benchmarks;

/// <summary>
/// Shapes a hostile server can send whose parsing cost must stay linear in their size (issue 16): streamed
/// aggregates nested in each other, many attributes before one reply, and a long simple string arriving in pieces.
/// Each runs at two sizes; linear cost means the larger one takes about Size ratio times as long.
/// </summary>
[MemoryDiagnoser]
public class HostileShapeBenchmarks
{
    private static readonly RespLimits Deep = new() { MaxDepth = RespLimits.AbsoluteMaxDepth };

    private ReadOnlySequence<byte> _nested;
    private ReadOnlySequence<byte> _attributes;
    private byte[] _line = [];
    private ReadOnlySequence<byte>[] _linePrefixes = [];

    /// <summary>Nesting levels (nested shape), attributes (attribute shape), or KiB of the simple string (piece shape).</summary>
    [Params(250, 1000)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _nested = new(HostileShapes.NestedStreamed(Size));
        _attributes = new(HostileShapes.ManyAttributes(Size * 10));
        _line = HostileShapes.LongSimpleString(Size * 1024);
        _linePrefixes = HostileShapes.PipePrefixes(_line, piece: 256, segment: 4096);
    }

    /// <summary>Streamed arrays nested Size deep, each level holding a leaf before and after the next: scan + ReadValue.</summary>
    [Benchmark]
    public int NestedStreamed_ScanAndReadValue()
    {
        var state = default(RespScanState);
        if (!RespFrameScanner.TryScan(ref state, _nested, Deep, out long length)) throw new InvalidOperationException("incomplete");
        var r = new RespReader(_nested.Slice(0, length));
        r.Read();
        return r.ReadValue().Count;
    }

    /// <summary>10 × Size one-pair attributes before "+OK": scan + Read + ReadValue (attributes materialized).</summary>
    [Benchmark]
    public int ManyAttributes_ScanAndReadValue()
    {
        var state = default(RespScanState);
        if (!RespFrameScanner.TryScan(ref state, _attributes, RespLimits.Default, out long length)) throw new InvalidOperationException("incomplete");
        var r = new RespReader(_attributes.Slice(0, length));
        r.Read();
        return r.ReadValue().Attributes!.Value.Count;
    }

    /// <summary>A simple string of Size KiB arriving 256 bytes at a time into 4 KiB segments (as a pipe holds it): one scan per arrival.</summary>
    [Benchmark]
    public long LongLineInPieces_Scan()
    {
        var state = default(RespScanState);
        long length = 0;
        foreach (ReadOnlySequence<byte> prefix in _linePrefixes)
        {
            if (RespFrameScanner.TryScan(ref state, prefix, RespLimits.Default, out length)) break;
        }
        return length;
    }
}

/// <summary>Builders of the hostile shapes, shared with the tests' expectations.</summary>
public static class HostileShapes
{
    /// <summary><c>*?</c> nested <paramref name="depth"/> deep, each level "[:1, next level, :2]", ended by '.'.</summary>
    public static byte[] NestedStreamed(int depth)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < depth; i++) sb.Append("*?\r\n:1\r\n");
        sb.Append(":0\r\n");
        for (int i = 0; i < depth; i++) sb.Append(":2\r\n.\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary><paramref name="count"/> attributes <c>|1 +k +v</c> before <c>+OK</c>.</summary>
    public static byte[] ManyAttributes(int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++) sb.Append("|1\r\n+key\r\n+value\r\n");
        sb.Append("+OK\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>"+" then <paramref name="payload"/> 'x' bytes then CRLF.</summary>
    public static byte[] LongSimpleString(int payload)
    {
        var data = new byte[payload + 3];
        data[0] = (byte)'+';
        data.AsSpan(1, payload).Fill((byte)'x');
        data[^2] = (byte)'\r';
        data[^1] = (byte)'\n';
        return data;
    }

    /// <summary>
    /// The buffers a pipe reader would see as <paramref name="data"/> arrives <paramref name="piece"/> bytes at a time
    /// into segments of <paramref name="segment"/> bytes: one growing sequence per arrival, over the same segments.
    /// </summary>
    public static ReadOnlySequence<byte>[] PipePrefixes(byte[] data, int piece, int segment)
    {
        var segments = new List<Seg>();
        for (int at = 0; at < data.Length; at += segment)
        {
            var memory = new ReadOnlyMemory<byte>(data, at, Math.Min(segment, data.Length - at));
            var s = new Seg(memory, at);
            if (segments.Count > 0) segments[^1].SetNext(s);
            segments.Add(s);
        }
        var prefixes = new List<ReadOnlySequence<byte>>();
        for (int end = Math.Min(piece, data.Length); ; end = Math.Min(end + piece, data.Length))
        {
            Seg last = segments[(end - 1) / segment];
            prefixes.Add(new ReadOnlySequence<byte>(segments[0], 0, last, end - (int)last.RunningIndex));
            if (end == data.Length) break;
        }
        return prefixes.ToArray();
    }

    private sealed class Seg : ReadOnlySequenceSegment<byte>
    {
        public Seg(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Seg next) => Next = next;
    }
}
