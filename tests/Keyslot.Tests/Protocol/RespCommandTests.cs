using System.Buffers;
using System.Text;
using Keyslot.Protocol;
using Xunit;

namespace Keyslot.Tests.Protocol;

/// <summary>
/// A command is written into one span of the writer when it is small and element by element when it is large; both
/// must give the same bytes, and an argument packed into 16 bytes must come out as it went in.
/// </summary>
public sealed class RespCommandTests
{
    [Fact]
    public void A_small_command_of_every_argument_kind_is_written_as_each_element_would_be()
    {
        byte[] backing = Encoding.ASCII.GetBytes("xxvaluexx");
        RespCommand command = RespCommand.Create("ZADD", [
            "key:{1}", "héllo 日本 😀", new ReadOnlyMemory<byte>(backing, 2, 5), long.MinValue, long.MaxValue, -2.25,
            double.NegativeInfinity, 0,
        ]);

        Assert.Equal(
            "*9\r\n$4\r\nZADD\r\n$7\r\nkey:{1}\r\n$18\r\nhéllo 日本 😀\r\n$5\r\nvalue\r\n$20\r\n-9223372036854775808\r\n" +
            "$19\r\n9223372036854775807\r\n$5\r\n-2.25\r\n$4\r\n-inf\r\n$1\r\n0\r\n",
            Encoding.UTF8.GetString(Write(command)));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(2_700)]   // just under the single-span bound at 3 bytes per character
    [InlineData(2_800)]   // just over: written element by element
    [InlineData(40_000)]
    public void Commands_around_the_single_span_bound_give_the_same_bytes_as_element_by_element(int characters)
    {
        string text = string.Concat(Enumerable.Repeat("aé日😀", characters / 5 + 1))[..characters];
        if (char.IsHighSurrogate(text[^1])) text = text[..^1] + "z";
        byte[] bytes = new byte[characters];
        new Random(characters).NextBytes(bytes);
        RespCommand command = RespCommand.Create("SET", text, bytes, 42);

        var expected = new ArrayBufferWriter<byte>();
        RespWriter.WriteArrayHeader(expected, 4);
        RespWriter.WriteBulkString(expected, "SET".AsSpan());
        RespWriter.WriteBulkString(expected, text.AsSpan());
        RespWriter.WriteBulkString(expected, bytes);
        RespWriter.WriteBulkString(expected, 42);

        Assert.Equal(expected.WrittenSpan.ToArray(), Write(command));
        Assert.Equal(expected.WrittenSpan.ToArray(), WriteThroughSmallSpans(command));
    }

    [Fact]
    public void A_command_of_more_arguments_than_fit_inline_is_written_whole()
    {
        RedisArgument[] args = [.. Enumerable.Range(0, RespCommand.InlineCapacity + 3).Select(i => (RedisArgument)$"k{i}")];
        string wire = Encoding.UTF8.GetString(Write(RespCommand.Create("DEL", args)));
        Assert.StartsWith("*12\r\n$3\r\nDEL\r\n$2\r\nk0\r\n", wire, StringComparison.Ordinal);
        Assert.EndsWith("$3\r\nk10\r\n", wire, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_argument_is_refused_when_the_command_is_made()
    {
        var error = Assert.Throws<ArgumentException>(() => RespCommand.Create("SET", "k", default(RedisArgument)));
        Assert.Contains("Argument 2 of SET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Packed_arguments_keep_their_kind_and_value()
    {
        byte[] backing = new byte[300];
        backing[257] = 7;
        RedisArgument segment = new ReadOnlyMemory<byte>(backing, 257, 40);
        Assert.Equal(ArgumentKind.Bytes, segment.Kind);
        Assert.Equal(40, segment.Span.Length);
        Assert.Equal(7, segment.Span[0]);
        Assert.True(segment.Memory.Span.SequenceEqual(backing.AsSpan(257, 40)));

        RedisArgument empty = Array.Empty<byte>();
        Assert.Equal(ArgumentKind.Bytes, empty.Kind);
        Assert.Equal(0, empty.Span.Length);

        RedisArgument min = long.MinValue;
        Assert.Equal(ArgumentKind.Integer, min.Kind);
        Assert.Equal(long.MinValue, min.Integer);
        Assert.Equal("-9223372036854775808", min.ToString());

        RedisArgument number = -0.0;
        Assert.Equal(ArgumentKind.Double, number.Kind);
        Assert.True(double.IsNegative(number.Double));

        RedisArgument text = "abc";
        Assert.Equal(ArgumentKind.Text, text.Kind);
        Assert.Equal(0, text.Span.Length); // text has no byte view
        Assert.Equal(ArgumentKind.None, default(RedisArgument).Kind);
    }

    private static byte[] Write(in RespCommand command)
    {
        var writer = new ArrayBufferWriter<byte>();
        command.WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Through a writer whose spans are exactly as large as asked: a bound that is too small would throw.</summary>
    private static byte[] WriteThroughSmallSpans(in RespCommand command)
    {
        var writer = new ExactSpanWriter();
        command.WriteTo(writer);
        return writer.ToArray();
    }

    private sealed class ExactSpanWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public void Advance(int count)
        {
            Assert.InRange(count, 0, _current.Length);
            _written.AddRange(_current.AsSpan(0, count));
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => [.. _written];
    }
}
