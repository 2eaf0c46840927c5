using System.Buffers;
using System.Text;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

public class RespWriterTests
{
    private static string Write(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Array_header() => Assert.Equal("*3\r\n", Write(w => RespWriter.WriteArrayHeader(w, 3)));

    [Fact]
    public void Negative_array_count_is_rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => RespWriter.WriteArrayHeader(new ArrayBufferWriter<byte>(), -1));

    [Theory]
    [InlineData("", "$0\r\n\r\n")]
    [InlineData("GET", "$3\r\nGET\r\n")]
    [InlineData("héllo", "$6\r\nhéllo\r\n")]
    [InlineData("日本", "$6\r\n日本\r\n")]
    [InlineData("😀", "$4\r\n😀\r\n")]
    public void Text_is_utf8(string value, string expected)
        => Assert.Equal(expected, Write(w => RespWriter.WriteBulkString(w, value.AsSpan())));

    [Fact]
    public void Lone_surrogate_becomes_replacement_character_with_matching_length()
    {
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.WriteBulkString(buffer, "a\ud800b".AsSpan());
        Assert.Equal("$5\r\na\uFFFDb\r\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Bytes_are_copied_verbatim()
        => Assert.Equal("$4\r\na\r\n\0\r\n", Write(w => RespWriter.WriteBulkString(w, "a\r\n\0"u8)));

    [Theory]
    [InlineData(0L, "$1\r\n0\r\n")]
    [InlineData(1200L, "$4\r\n1200\r\n")]
    [InlineData(-1L, "$2\r\n-1\r\n")]
    [InlineData(long.MaxValue, "$19\r\n9223372036854775807\r\n")]
    [InlineData(long.MinValue, "$20\r\n-9223372036854775808\r\n")]
    public void Integers(long value, string expected)
        => Assert.Equal(expected, Write(w => RespWriter.WriteBulkString(w, value)));

    [Theory]
    [InlineData(1.5, "$3\r\n1.5\r\n")]
    [InlineData(0.0, "$1\r\n0\r\n")]
    [InlineData(-2.25, "$5\r\n-2.25\r\n")]
    [InlineData(double.PositiveInfinity, "$3\r\ninf\r\n")]
    [InlineData(double.NegativeInfinity, "$4\r\n-inf\r\n")]
    [InlineData(double.NaN, "$3\r\nnan\r\n")]
    [InlineData(1e300, "$6\r\n1E+300\r\n")]
    [InlineData(0.1, "$3\r\n0.1\r\n")]
    public void Doubles(double value, string expected)
        => Assert.Equal(expected, Write(w => RespWriter.WriteBulkString(w, value)));

    [Fact]
    public void Doubles_round_trip()
    {
        var rng = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            double value = BitConverter.Int64BitsToDouble(rng.NextInt64());
            if (!double.IsFinite(value)) continue;
            var buffer = new ArrayBufferWriter<byte>();
            RespWriter.WriteBulkString(buffer, value);
            var r = new RespReader(new(buffer.WrittenMemory));
            Assert.True(r.Read());
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(r.GetDouble()));
        }
    }

    [Fact]
    public void A_command_is_an_array_of_bulk_strings()
    {
        string wire = Write(w =>
        {
            RespWriter.WriteArrayHeader(w, 5);
            RespWriter.WriteBulkString(w, "SET".AsSpan());
            RespWriter.WriteBulkString(w, "key".AsSpan());
            RespWriter.WriteBulkString(w, "v"u8);
            RespWriter.WriteBulkString(w, "EX".AsSpan());
            RespWriter.WriteBulkString(w, 1200);
        });
        Assert.Equal("*5\r\n$3\r\nSET\r\n$3\r\nkey\r\n$1\r\nv\r\n$2\r\nEX\r\n$4\r\n1200\r\n", wire);
    }

    [Fact]
    public void Large_values_are_written_in_chunks_through_small_spans()
    {
        // A writer that hands out small spans proves large payloads never need one huge contiguous span.
        byte[] bytes = new byte[100_000];
        new Random(1).NextBytes(bytes);
        string text = string.Concat(Enumerable.Repeat("aé日😀", 10_000));
        var writer = new SmallSpanWriter(7);
        RespWriter.WriteBulkString(writer, bytes);
        RespWriter.WriteBulkString(writer, text.AsSpan());
        byte[] wire = writer.ToArray();

        var state = default(RespScanState);
        Assert.True(RespFrameScanner.TryScan(ref state, new(wire), RespLimits.Default, out long first));
        var r = new RespReader(new(wire.AsMemory(0, (int)first)));
        Assert.True(r.Read());
        Assert.Equal(bytes, r.GetBytes());
        r = new RespReader(new(wire.AsMemory((int)first)));
        Assert.True(r.Read());
        Assert.Equal(text, r.GetString());
    }

    private sealed class SmallSpanWriter(int chunk) : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, chunk)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => [.. _written];
    }
}
