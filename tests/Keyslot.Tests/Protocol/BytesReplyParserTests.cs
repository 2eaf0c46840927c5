using System.Buffers;
using System.Text;
using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

/// <summary>
/// <see cref="ReplyParsers.BytesArray"/> and <see cref="ReplyParsers.BytesMap"/> over RESP2 and RESP3 shapes, with
/// payloads that are not valid UTF-8, read from every segmentation of the frame.
/// </summary>
public class BytesReplyParserTests
{
    private static readonly byte[] AllBytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
    private static readonly byte[] InvalidUtf8 = [0xC3, 0x28, 0x00, 0xFF, 0xFE];

    private static byte[] Wire(params object[] parts)
    {
        var buffer = new List<byte>();
        foreach (object part in parts)
        {
            if (part is string text) buffer.AddRange(Encoding.ASCII.GetBytes(text));
            else buffer.AddRange((byte[])part);
        }
        return [.. buffer];
    }

    private static object[] Bulk(byte[] payload) => [$"${payload.Length}\r\n", payload, "\r\n"];

    private static void ParseEveryShape<T>(byte[] wire, ReplyParser<T> parser, Action<T> check)
    {
        foreach (ReadOnlySequence<byte> frame in Sequences.AllShapes(wire))
        {
            var reader = new RespReader(frame);
            Assert.True(reader.Read());
            T value = parser(ref reader);
            Assert.False(reader.Read());
            check(value);
        }
    }

    [Theory]
    [InlineData("$-1\r\n")] // RESP2 null bulk string
    [InlineData("_\r\n")]   // RESP3 null
    public void BytesArray_keeps_binary_values_and_nulls_in_order(string nullElement)
    {
        byte[] wire = Wire(["*4\r\n", .. Bulk(AllBytes), nullElement, .. Bulk(InvalidUtf8), .. Bulk([])]);
        ParseEveryShape(wire, ReplyParsers.BytesArray, values =>
        {
            Assert.Equal(4, values.Length);
            Assert.Equal(AllBytes, values[0]);
            Assert.Null(values[1]);
            Assert.Equal(InvalidUtf8, values[2]);
            Assert.Equal(Array.Empty<byte>(), values[3]);
        });
    }

    [Theory]
    [InlineData("*-1\r\n")]
    [InlineData("_\r\n")]
    [InlineData("*0\r\n")]
    public void BytesArray_of_a_null_or_empty_reply_is_empty(string wire)
    {
        ParseEveryShape(Encoding.ASCII.GetBytes(wire), ReplyParsers.BytesArray, values => Assert.Empty(values));
    }

    [Theory]
    [InlineData("*4\r\n")] // RESP2: flat array of alternating fields and values
    [InlineData("%2\r\n")] // RESP3: map of 2 pairs
    public void BytesMap_has_text_fields_and_exact_byte_values(string header)
    {
        byte[] wire = Wire([header, .. Bulk("all"u8.ToArray()), .. Bulk(AllBytes), "+bad\r\n", .. Bulk(InvalidUtf8)]);
        ParseEveryShape(wire, ReplyParsers.BytesMap, map =>
        {
            Assert.Equal(2, map.Count);
            Assert.Equal(AllBytes, map["all"]);
            Assert.Equal(InvalidUtf8, map["bad"]);
        });
    }

    [Theory]
    [InlineData("*0\r\n")]
    [InlineData("%0\r\n")]
    public void BytesMap_of_an_empty_hash_is_empty(string wire)
    {
        ParseEveryShape(Encoding.ASCII.GetBytes(wire), ReplyParsers.BytesMap, map => Assert.Empty(map));
    }

    private static long AllocatedByParse<T>(ReadOnlySequence<byte> frame, ReplyParser<T> parser, int times)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < times; i++)
        {
            var reader = new RespReader(frame);
            reader.Read();
            GC.KeepAlive(parser(ref reader));
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void BytesArray_allocates_only_its_result()
    {
        var frame = new ReadOnlySequence<byte>(Wire(["*3\r\n", .. Bulk(AllBytes), "_\r\n", .. Bulk(InvalidUtf8)]));
        AllocatedByParse(frame, ReplyParsers.BytesArray, 10);
        long parsed = AllocatedByParse(frame, ReplyParsers.BytesArray, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            GC.KeepAlive(new byte[]?[3]);
            GC.KeepAlive(new byte[AllBytes.Length]);
            GC.KeepAlive(new byte[InvalidUtf8.Length]);
        }
        long resultOnly = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(resultOnly, parsed);
    }
}
