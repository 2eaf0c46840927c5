using System.Buffers;
using System.Text;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

public class RespReaderTests
{
    private static RespReader ReaderFor(string wire) => new(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(wire)));

    [Fact]
    public void Simple_string_scalar_accessors()
    {
        var r = ReaderFor("+OK\r\n");
        Assert.True(r.Read());
        Assert.Equal(RespType.SimpleString, r.Type);
        Assert.True(r.ScalarEquals("OK"u8));
        Assert.False(r.ScalarEquals("OK!"u8));
        Assert.True(r.IsScalarSingleSegment);
        Assert.Equal("OK", Encoding.ASCII.GetString(r.ScalarSpan));
        Assert.Equal(2, r.Length);
        Assert.Equal("OK", r.GetString());
        Assert.False(r.IsError);
        Assert.False(r.Read());
        Assert.Equal(RespType.None, r.Type);
    }

    [Fact]
    public void Numbers_and_conversions()
    {
        var r = ReaderFor("*7\r\n:42\r\n$3\r\n-17\r\n,inf\r\n,-1.5e3\r\n#t\r\n:0\r\n(123\r\n");
        Assert.True(r.Read());
        Assert.Equal(7, r.Length);
        Assert.True(r.Read()); Assert.Equal(42, r.GetInt64()); Assert.Equal(42.0, r.GetDouble()); Assert.Equal("42", r.GetString());
        Assert.True(r.Read()); Assert.Equal(-17, r.GetInt64()); Assert.Equal(-17.0, r.GetDouble());
        Assert.True(r.Read()); Assert.Equal(double.PositiveInfinity, r.GetDouble()); Assert.Equal("inf", r.GetString());
        Assert.True(r.Read()); Assert.Equal(-1500.0, r.GetDouble()); Assert.Equal(-1500, r.GetInt64());
        Assert.True(r.Read()); Assert.True(r.GetBoolean()); Assert.Equal(1, r.GetInt64());
        Assert.True(r.Read()); Assert.False(r.GetBoolean());
        Assert.True(r.Read()); Assert.Equal(RespType.BigNumber, r.Type); Assert.Equal(123, r.GetInt64()); Assert.Equal("123", r.GetString());
        Assert.False(r.Read());
    }

    [Fact]
    public void Wrong_conversions_throw_InvalidCastException()
    {
        var r = ReaderFor("*3\r\n$3\r\nabc\r\n:2\r\n*0\r\n");
        Assert.True(r.Read());
        try { r.GetString(); Assert.Fail("aggregate to string"); } catch (InvalidCastException) { }
        Assert.True(r.Read());
        try { r.GetInt64(); Assert.Fail("abc to integer"); } catch (InvalidCastException) { }
        try { r.GetDouble(); Assert.Fail("abc to double"); } catch (InvalidCastException) { }
        try { r.GetBoolean(); Assert.Fail("abc to boolean"); } catch (InvalidCastException) { }
        Assert.True(r.Read());
        try { r.GetBoolean(); Assert.Fail("2 to boolean"); } catch (InvalidCastException) { }
    }

    [Fact]
    public void Nulls_report_type_null()
    {
        var r = ReaderFor("*3\r\n$-1\r\n*-1\r\n_\r\n");
        Assert.True(r.Read());
        for (int i = 0; i < 3; i++)
        {
            Assert.True(r.Read());
            Assert.Equal(RespType.Null, r.Type);
            Assert.Null(r.GetString());
            Assert.Null(r.GetBytes());
            Assert.False(r.IsAggregate);
        }
        Assert.False(r.Read());
    }

    [Fact]
    public void Errors_are_flagged()
    {
        var r = ReaderFor("*2\r\n-MOVED 1 a:1\r\n!3\r\nERR\r\n");
        Assert.True(r.Read());
        Assert.True(r.Read()); Assert.True(r.IsError); Assert.Equal(RespType.SimpleError, r.Type);
        Assert.Equal(RedisErrorKind.Moved, RedisErrorClassifier.Classify(r.ScalarSpan));
        Assert.True(r.Read()); Assert.True(r.IsError); Assert.Equal(RespType.BulkError, r.Type); Assert.Equal("ERR", r.GetString());
    }

    [Fact]
    public void Verbatim_payload_excludes_format()
    {
        var r = ReaderFor("=15\r\ntxt:Some string\r\n");
        Assert.True(r.Read());
        Assert.Equal(RespType.VerbatimString, r.Type);
        Assert.Equal(11, r.Length);
        Assert.Equal("Some string", r.GetString());
        Assert.Equal("txt", r.ReadValue().VerbatimFormat);
    }

    [Fact]
    public void Map_length_counts_keys_and_values()
    {
        var r = ReaderFor("%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n");
        Assert.True(r.Read());
        Assert.Equal(RespType.Map, r.Type);
        Assert.True(r.IsAggregate);
        Assert.Equal(4, r.Length);
    }

    [Fact]
    public void Streamed_aggregate_length_is_counted()
    {
        var r = ReaderFor("*?\r\n:1\r\n*?\r\n:2\r\n.\r\n$?\r\n;1\r\na\r\n;0\r\n.\r\n");
        Assert.True(r.Read());
        Assert.Equal(3, r.Length);
        Assert.True(r.Read()); Assert.Equal(1, r.GetInt64());
        Assert.True(r.Read()); Assert.Equal(1, r.Length);
        Assert.True(r.Read()); Assert.Equal(2, r.GetInt64());
        Assert.True(r.Read()); Assert.Equal("a", r.GetString()); Assert.False(r.IsScalarSingleSegment); Assert.True(r.ScalarEquals("a"u8));
        Assert.False(r.Read());
    }

    [Fact]
    public void SkipChildren_moves_to_next_sibling()
    {
        var r = ReaderFor("*3\r\n*2\r\n%1\r\n+a\r\n+b\r\n*?\r\n:9\r\n.\r\n:1\r\n*?\r\n:5\r\n.\r\n");
        Assert.True(r.Read());
        Assert.True(r.Read()); Assert.Equal(RespType.Array, r.Type);
        r.SkipChildren();
        Assert.True(r.Read()); Assert.Equal(1, r.GetInt64());
        Assert.True(r.Read()); r.SkipChildren();
        Assert.False(r.Read());
    }

    [Fact]
    public void ReadValue_leaves_reader_on_last_descendant()
    {
        var r = ReaderFor("*3\r\n*2\r\n:1\r\n*1\r\n:2\r\n*?\r\n:3\r\n.\r\n:4\r\n");
        Assert.True(r.Read());
        Assert.True(r.Read());
        RespValue inner = r.ReadValue();
        Assert.Equal(RespValue.FromArray(RespValue.FromInt64(1), RespValue.FromArray(RespValue.FromInt64(2))), inner);
        Assert.True(r.Read());
        Assert.Equal(RespValue.FromArray(RespValue.FromInt64(3)), r.ReadValue());
        Assert.True(r.Read());
        Assert.Equal(4, r.GetInt64());
        Assert.False(r.Read());
    }

    [Fact]
    public void Read_skips_attributes_but_ReadValue_keeps_them()
    {
        var r = ReaderFor("|1\r\n+k\r\n+v\r\n:7\r\n");
        Assert.True(r.Read());
        Assert.Equal(RespType.Integer, r.Type);
        Assert.True(r.HasAttributes);
        RespValue v = r.ReadValue();
        Assert.Equal(7, v.AsInt64());
        Assert.Equal("v", v.Attributes!.Value.AsMap()["k"].AsString());
    }

    [Fact]
    public void Multi_segment_scalars_are_exposed()
    {
        byte[] data = "$11\r\nhello world\r\n"u8.ToArray();
        var r = new RespReader(Sequences.Split(data, 10));
        Assert.True(r.Read());
        Assert.False(r.IsScalarSingleSegment);
        Assert.Equal(11, r.ScalarSequence.Length);
        Assert.True(r.ScalarEquals("hello world"u8));
        Assert.False(r.ScalarEquals("hello_world"u8));
        Assert.Equal("hello world", Encoding.ASCII.GetString(r.ScalarSpan));
        Assert.Equal("hello world", r.GetString());
        Assert.Equal("hello world"u8.ToArray(), r.GetBytes());
    }

    [Fact]
    public void Reader_rejects_truncated_unscanned_frames()
    {
        var r = ReaderFor("*2\r\n:1\r\n");
        Assert.True(r.Read());
        var ex = Assert.Throws<RespProtocolException>(() =>
        {
            var inner = ReaderFor("*2\r\n:1\r\n");
            inner.Read();
            inner.ReadValue();
        });
        Assert.Contains("end of the frame", ex.Message);
    }

    [Fact]
    public void Reader_bounds_recursion_on_unscanned_deep_frames()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) sb.Append("*1\r\n");
        sb.Append(":1\r\n");
        string wire = sb.ToString();
        Assert.Throws<RespProtocolException>(() =>
        {
            var r = ReaderFor(wire);
            r.Read();
            r.ReadValue();
        });
        Assert.Throws<RespProtocolException>(() =>
        {
            var r = ReaderFor(wire);
            r.Read();
            r.SkipChildren();
        });
    }
}
