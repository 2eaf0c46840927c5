using System.Text;
using Keyslot.Protocol;
using V = Keyslot.RespValue;

namespace Keyslot.Tests.Protocol;

/// <summary>Every RESP3 type from sample replies, parsed at every split point, incrementally, and through the reader.</summary>
public class RespSampleTests
{
    private static readonly Dictionary<string, (string Wire, V Expected)> Samples = new()
    {
        ["simple string"] = ("+OK\r\n", V.FromSimpleString("OK")),
        ["empty simple string"] = ("+\r\n", V.FromSimpleString("")),
        ["simple error"] = ("-ERR unknown command 'FOO'\r\n", V.FromError("ERR unknown command 'FOO'")),
        ["integer"] = (":1000\r\n", V.FromInt64(1000)),
        ["integer plus sign"] = (":+7\r\n", V.FromInt64(7)),
        ["integer min"] = (":-9223372036854775808\r\n", V.FromInt64(long.MinValue)),
        ["integer max"] = (":9223372036854775807\r\n", V.FromInt64(long.MaxValue)),
        ["bulk string"] = ("$3\r\nbar\r\n", V.FromString("bar")),
        ["empty bulk string"] = ("$0\r\n\r\n", V.FromString("")),
        ["binary bulk string"] = ("$5\r\na\r\nb\0\r\n", V.FromBytes("a\r\nb\0"u8)),
        ["utf8 bulk string"] = ("$8\r\nπ€x\u00e9\r\n", V.FromString("π€xé")),
        ["resp2 null bulk"] = ("$-1\r\n", V.Null),
        ["resp2 null array"] = ("*-1\r\n", V.Null),
        ["null"] = ("_\r\n", V.Null),
        ["array"] = ("*2\r\n$3\r\nfoo\r\n:1\r\n", V.FromArray(V.FromString("foo"), V.FromInt64(1))),
        ["empty array"] = ("*0\r\n", V.FromArray()),
        ["array with nulls"] = ("*3\r\n_\r\n$-1\r\n*-1\r\n", V.FromArray(V.Null, V.Null, V.Null)),
        ["true"] = ("#t\r\n", V.FromBoolean(true)),
        ["false"] = ("#f\r\n", V.FromBoolean(false)),
        ["double"] = (",3.14\r\n", V.FromDouble(3.14)),
        ["double integral"] = (",10\r\n", V.FromDouble(10)),
        ["double exponent"] = (",1.5e10\r\n", V.FromDouble(1.5e10)),
        ["double negative exponent"] = (",-2E-3\r\n", V.FromDouble(-2e-3)),
        ["double inf"] = (",inf\r\n", V.FromDouble(double.PositiveInfinity)),
        ["double -inf"] = (",-inf\r\n", V.FromDouble(double.NegativeInfinity)),
        ["double nan"] = (",nan\r\n", V.FromDouble(double.NaN)),
        ["big number"] = ("(3492890328409238509324850943850943825024385\r\n", V.FromBigNumber("3492890328409238509324850943850943825024385")),
        ["negative big number"] = ("(-12\r\n", V.FromBigNumber("-12")),
        ["bulk error"] = ("!21\r\nSYNTAX invalid syntax\r\n", V.FromError("SYNTAX invalid syntax", bulk: true)),
        ["verbatim string"] = ("=15\r\ntxt:Some string\r\n", V.FromVerbatim("txt", "Some string")),
        ["empty verbatim string"] = ("=4\r\nmkd:\r\n", V.FromVerbatim("mkd", "")),
        ["map"] = ("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", V.FromMap(V.FromSimpleString("first"), V.FromInt64(1), V.FromSimpleString("second"), V.FromInt64(2))),
        ["empty map"] = ("%0\r\n", V.FromMap()),
        ["set"] = ("~3\r\n+a\r\n+b\r\n+c\r\n", V.FromSet(V.FromSimpleString("a"), V.FromSimpleString("b"), V.FromSimpleString("c"))),
        ["push"] = (">3\r\n$7\r\nmessage\r\n$7\r\nchannel\r\n$5\r\nhello\r\n", V.FromPush(V.FromString("message"), V.FromString("channel"), V.FromString("hello"))),
        ["attribute"] = ("|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
            V.FromArray(V.FromInt64(2039123), V.FromInt64(9543892)).WithAttributes(V.FromAttribute(
                V.FromSimpleString("key-popularity"),
                V.FromMap(V.FromString("a"), V.FromDouble(0.1923), V.FromString("b"), V.FromDouble(0.0012))))),
        ["empty attribute"] = ("|0\r\n:1\r\n", V.FromInt64(1).WithAttributes(V.FromAttribute())),
        ["nested attribute"] = ("*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\nx\r\n:2\r\n",
            V.FromArray(V.FromString("x").WithAttributes(V.FromAttribute(V.FromSimpleString("ttl"), V.FromInt64(3600))), V.FromInt64(2))),
        ["streamed string"] = ("$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n", V.FromString("Hello word")),
        ["empty streamed string"] = ("$?\r\n;0\r\n", V.FromString("")),
        ["streamed array"] = ("*?\r\n:1\r\n:2\r\n.\r\n", V.FromArray(V.FromInt64(1), V.FromInt64(2))),
        ["streamed map"] = ("%?\r\n+a\r\n:1\r\n.\r\n", V.FromMap(V.FromSimpleString("a"), V.FromInt64(1))),
        ["empty streamed set"] = ("~?\r\n.\r\n", V.FromSet()),
        ["deep mix"] = ("*3\r\n*?\r\n$?\r\n;1\r\nx\r\n;0\r\n~?\r\n.\r\n.\r\n%1\r\n+k\r\n|1\r\n+a\r\n+b\r\n:5\r\n>1\r\n_\r\n",
            V.FromArray(
                V.FromArray(V.FromString("x"), V.FromSet()),
                V.FromMap(V.FromSimpleString("k"), V.FromInt64(5).WithAttributes(V.FromAttribute(V.FromSimpleString("a"), V.FromSimpleString("b")))),
                V.FromPush(V.Null))),
    };

    public static TheoryData<string> Names() => new(Samples.Keys);

    private static byte[] Wire(string name) => Encoding.UTF8.GetBytes(Samples[name].Wire);

    [Theory]
    [MemberData(nameof(Names))]
    public void Parses_at_every_split_point(string name)
    {
        byte[] data = Wire(name);
        V expected = Samples[name].Expected;
        foreach (var shape in Sequences.AllShapes(data))
        {
            V actual = RespTestParse.ParseOne(shape, out long length);
            Assert.Equal(data.Length, length);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Frame_length_excludes_following_bytes(string name)
    {
        byte[] data = [.. Wire(name), .. "+NEXT\r\n:1"u8];
        foreach (var shape in Sequences.AllShapes(data))
        {
            RespTestParse.ParseOne(shape, out long length);
            Assert.Equal(Wire(name).Length, length);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Incremental_prefixes_need_more_until_complete(string name)
        => RespTestParse.AssertIncremental(Wire(name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Test_encoder_agrees_with_sample(string name)
    {
        // The property tests rely on the test encoder; pin it to the hand-written samples.
        V expected = Samples[name].Expected;
        Assert.Equal(expected, RespTestParse.ParseOne(new(TestEncoder.Encode(expected)), out _));
    }

    [Fact]
    public void Push_is_a_frame_of_its_own()
    {
        byte[] data = ">2\r\n+message\r\n+hi\r\n+OK\r\n"u8.ToArray();
        var state = default(RespScanState);
        Assert.True(RespFrameScanner.TryScan(ref state, new(data), RespLimits.Default, out long first));
        Assert.Equal(19, first);
        Assert.True(RespFrameScanner.TryScan(ref state, new(data.AsMemory(19)), RespLimits.Default, out long second));
        Assert.Equal(5, second);
    }

    [Fact]
    public void Long_simple_line_arriving_in_pieces_is_searched_once()
    {
        byte[] data = Encoding.ASCII.GetBytes("*2\r\n:1\r\n+" + new string('x', 200_000) + "\r\n");
        var state = default(RespScanState);
        for (int n = 10; n < data.Length; n += 1000)
        {
            Assert.False(RespFrameScanner.TryScan(ref state, Sequences.Split(data[..n], n / 3), RespLimits.Default, out _));
            // Everything received after the '+' is remembered as clean, so the next call searches only new bytes.
            Assert.Equal(8, state.LineCheckedAt);
            Assert.Equal(Math.Min(n - 9, 200_000), state.LineChecked);
        }
        Assert.True(RespFrameScanner.TryScan(ref state, new(data), RespLimits.Default, out long length));
        Assert.Equal(data.Length, length);
        Assert.Equal(0, state.LineChecked);
        var r = new RespReader(new(data));
        Assert.True(r.Read());
        Assert.True(r.Read());
        Assert.True(r.Read());
        Assert.Equal(200_000, r.Length);
    }

    [Fact]
    public void Large_aggregate_arriving_in_pieces_is_scanned_once()
    {
        // 10,000 elements fed 7 bytes at a time: resumption must continue where it stopped.
        var sb = new StringBuilder("*10000\r\n");
        for (int i = 0; i < 10000; i++) sb.Append("$4\r\nabcd\r\n");
        byte[] data = Encoding.ASCII.GetBytes(sb.ToString());
        var state = default(RespScanState);
        long lastConsumed = 0;
        for (int n = 0; n < data.Length; n += 7)
        {
            Assert.False(RespFrameScanner.TryScan(ref state, new(data.AsMemory(0, n)), RespLimits.Default, out _));
            Assert.True(state.Consumed >= lastConsumed);
            Assert.True(n - state.Consumed < 10 + 8, "at most one partial element is rescanned");
            lastConsumed = state.Consumed;
        }
        Assert.True(RespFrameScanner.TryScan(ref state, new(data), RespLimits.Default, out long length));
        Assert.Equal(data.Length, length);
    }
}
