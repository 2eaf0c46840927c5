using System.Buffers;
using BenchmarkDotNet.Attributes;
using Keyslot.Protocol;
using Keyslot.Tests.Protocol;

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
        _linePrefixes = [.. Sequences.PipePrefixes(_line, piece: 256, segment: 4096)];
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
