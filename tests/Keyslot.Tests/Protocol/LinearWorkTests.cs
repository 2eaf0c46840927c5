using System.Buffers;
using System.Text;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

/// <summary>
/// Parsing cost grows linearly with the input for the shapes that used to be quadratic (issue 16): streamed
/// aggregates nested in each other, many attributes before a reply, and a long simple string (or many elements)
/// arriving in small pieces. Work is counted by <see cref="RespWork"/> (elements walked by the reader, bytes the
/// scanner moves over again to resume), never timed: doubling the input may at most about double the work, and the
/// work per input byte is bounded.
/// </summary>
public class LinearWorkTests
{
    private static readonly RespLimits Deep = new() { MaxDepth = RespLimits.AbsoluteMaxDepth };

    private static byte[] ManySmallElements(int count)
    {
        var sb = new StringBuilder("*").Append(count).Append("\r\n");
        for (int i = 0; i < count; i++) sb.Append(":").Append(i % 1000).Append("\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    // Scans the data as it would arrive through a pipe, piece by piece; returns the scanner's counted work.
    private static long ScanInPieces(byte[] data, int piece, RespLimits limits)
    {
        List<ReadOnlySequence<byte>> prefixes = Sequences.PipePrefixes(data, piece, segment: 4096);
        RespWork.Reset();
        var state = default(RespScanState);
        for (int i = 0; i < prefixes.Count; i++)
        {
            bool complete = RespFrameScanner.TryScan(ref state, prefixes[i], limits, out long length);
            Assert.Equal(i == prefixes.Count - 1, complete);
            if (complete) Assert.Equal(data.Length, length);
        }
        return RespWork.Bytes;
    }

    // Scans the whole frame, then materializes it; returns the reader's counted work.
    private static long ReadValueWork(byte[] data, RespLimits limits, out RespValue value)
    {
        var state = default(RespScanState);
        Assert.True(RespFrameScanner.TryScan(ref state, new ReadOnlySequence<byte>(data), limits, out long length));
        RespWork.Reset();
        var reader = new RespReader(new ReadOnlySequence<byte>(data, 0, (int)length));
        Assert.True(reader.Read());
        value = reader.ReadValue();
        Assert.False(reader.Read());
        return RespWork.Elements;
    }

    private static void AssertLinear(long small, long large, int factor, string what)
    {
        Assert.True(small > 0, $"{what}: no work counted for the small input");
        // Linear: about `factor` times the work (a little slack for fixed costs); quadratic would be factor².
        Assert.True(large <= small * (factor + 1), $"{what}: work went from {small} to {large} for {factor}x the input");
    }

    [Fact]
    public void Reading_nested_streamed_aggregates_walks_each_element_a_bounded_number_of_times()
    {
        long w250 = ReadValueWork(HostileShapes.NestedStreamed(250), Deep, out _);
        long w500 = ReadValueWork(HostileShapes.NestedStreamed(500), Deep, out _);
        long w1000 = ReadValueWork(HostileShapes.NestedStreamed(1000), Deep, out RespValue value);

        AssertLinear(w250, w500, 2, "nested 250 -> 500");
        AssertLinear(w500, w1000, 2, "nested 500 -> 1000");
        Assert.True(w1000 <= 2 * (3 * 1000 + 1), $"{w1000} elements walked for 3001 elements"); // each at most twice
        Assert.Equal(3, value.Count);
        Assert.Equal(1, value[0].AsInt64());
        Assert.Equal(2, value[2].AsInt64());
    }

    [Fact]
    public void Length_of_a_streamed_aggregate_is_counted_once_and_remembered()
    {
        byte[] data = Encoding.ASCII.GetBytes("*?\r\n" + string.Concat(Enumerable.Repeat(":1\r\n", 1000)) + ".\r\n");
        var reader = new RespReader(new ReadOnlySequence<byte>(data));
        Assert.True(reader.Read());
        RespWork.Reset();
        long total = 0;
        for (int i = 0; i < 1000; i++) total += reader.Length; // a caller asking on every element
        Assert.Equal(1000L * 1000, total);
        Assert.True(RespWork.Elements <= 1000, $"{RespWork.Elements} elements walked to answer Length 1000 times");
    }

    [Fact]
    public void Scanning_nested_streamed_aggregates_arriving_in_pieces_is_linear()
    {
        // Depth is capped at 1024, so the frame stays small: bound the work per input byte instead of a ratio.
        byte[] data = HostileShapes.NestedStreamed(1000);
        long work = ScanInPieces(data, piece: 7, Deep);
        Assert.True(work <= 3L * data.Length, $"{work} bytes of work for {data.Length} input bytes");
    }

    [Fact]
    public void Many_attributes_cost_linear_work_to_scan_and_read()
    {
        long r1k = ReadValueWork(HostileShapes.ManyAttributes(1_000), RespLimits.Default, out _);
        long r10k = ReadValueWork(HostileShapes.ManyAttributes(10_000), RespLimits.Default, out _);
        long r100k = ReadValueWork(HostileShapes.ManyAttributes(100_000), RespLimits.Default, out RespValue value);
        AssertLinear(r1k, r10k, 10, "attributes read 1k -> 10k");
        AssertLinear(r10k, r100k, 10, "attributes read 10k -> 100k");
        Assert.Equal(200_000, value.Attributes!.Value.Count);
        Assert.Equal("OK", value.AsString());

        long s1k = ScanInPieces(HostileShapes.ManyAttributes(1_000), piece: 5, RespLimits.Default);
        long s10k = ScanInPieces(HostileShapes.ManyAttributes(10_000), piece: 5, RespLimits.Default);
        long s100k = ScanInPieces(HostileShapes.ManyAttributes(100_000), piece: 5, RespLimits.Default);
        AssertLinear(s1k, s10k, 10, "attributes scanned in pieces 1k -> 10k");
        AssertLinear(s10k, s100k, 10, "attributes scanned in pieces 10k -> 100k");
    }

    [Fact]
    public void A_long_simple_string_arriving_in_small_pieces_is_searched_once()
    {
        // 1k, 10k and 100k pieces of 16 bytes, into 4 KiB segments as a pipe holds them.
        long w1k = ScanInPieces(HostileShapes.LongSimpleString(16 * 1_000), piece: 16, RespLimits.Default);
        long w10k = ScanInPieces(HostileShapes.LongSimpleString(16 * 10_000), piece: 16, RespLimits.Default);
        long w100k = ScanInPieces(HostileShapes.LongSimpleString(16 * 100_000), piece: 16, RespLimits.Default);
        AssertLinear(w1k, w10k, 10, "line 1k -> 10k pieces");
        AssertLinear(w10k, w100k, 10, "line 10k -> 100k pieces");
        Assert.True(w100k <= 3L * 16 * 100_000, $"{w100k} bytes of work for a {16 * 100_000}-byte line");
    }

    [Theory]
    [InlineData((byte)'-')]
    [InlineData((byte)'(')]
    public void Long_errors_and_big_numbers_arriving_in_pieces_are_searched_once(byte type)
    {
        byte[] Line(int n)
        {
            byte[] data = HostileShapes.LongSimpleString(n);
            data[0] = type;
            if (type == '(') data.AsSpan(1, n).Fill((byte)'7');
            return data;
        }
        long w10k = ScanInPieces(Line(16 * 10_000), piece: 16, RespLimits.Default);
        long w100k = ScanInPieces(Line(16 * 100_000), piece: 16, RespLimits.Default);
        AssertLinear(w10k, w100k, 10, "line 10k -> 100k pieces");
    }

    [Fact]
    public void A_big_number_arriving_in_pieces_is_still_validated()
    {
        byte[] data = HostileShapes.LongSimpleString(16 * 1000);
        data[0] = (byte)'(';
        data.AsSpan(1, 16 * 1000).Fill((byte)'7');
        data[5000] = (byte)'x';
        var state = default(RespScanState);
        var error = Assert.Throws<RespProtocolException>(() =>
        {
            foreach (ReadOnlySequence<byte> prefix in Sequences.PipePrefixes(data, 16, 4096))
            {
                if (RespFrameScanner.TryScan(ref state, prefix, RespLimits.Default, out _)) break;
            }
        });
        Assert.Equal(5000, error.Offset);
    }

    [Fact]
    public void Many_elements_arriving_in_small_pieces_are_not_sought_from_the_frame_start_each_time()
    {
        long w10k = ScanInPieces(ManySmallElements(10_000), piece: 8, RespLimits.Default);
        long w100k = ScanInPieces(ManySmallElements(100_000), piece: 8, RespLimits.Default);
        AssertLinear(w10k, w100k, 10, "elements 10k -> 100k");
    }

    [Fact]
    public void A_large_bulk_payload_arriving_in_pieces_is_not_revisited()
    {
        int n = 1 << 20;
        byte[] data = new byte[n + 16];
        byte[] header = Encoding.ASCII.GetBytes("*2\r\n:1\r\n$" + n + "\r\n");
        header.CopyTo(data, 0);
        Array.Resize(ref data, header.Length + n + 2);
        data[^2] = (byte)'\r';
        data[^1] = (byte)'\n';
        long work = ScanInPieces(data, piece: 64, RespLimits.Default);
        Assert.True(work <= 3L * data.Length, $"{work} bytes of work for {data.Length} input bytes");
    }

    [Fact]
    public void Fresh_segments_for_every_call_still_scan_correctly()
    {
        // The remembered position belongs to the previous buffer's segments: a rebuilt buffer must not use it.
        byte[] data = Encoding.ASCII.GetBytes("*3\r\n+" + new string('a', 300) + "\r\n:12\r\n$5\r\nhello\r\n");
        var state = default(RespScanState);
        for (int n = 1; n < data.Length; n++)
        {
            Assert.False(RespFrameScanner.TryScan(ref state, Sequences.Split(data[..n], n / 3), RespLimits.Default, out _), $"prefix {n}");
        }
        Assert.True(RespFrameScanner.TryScan(ref state, Sequences.OneBytePerSegment(data), RespLimits.Default, out long length));
        Assert.Equal(data.Length, length);
    }
}
