using System.Text;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

/// <summary>Each malformed input throws <see cref="RespProtocolException"/> at the offset of the offending byte, however it is split.</summary>
public class MalformedInputTests
{
    public static TheoryData<string, long> Cases() => new()
    {
        { "x\r\n", 0 },                              // unknown type byte
        { "\r\n", 0 },
        { "+OK\rx", 4 },                             // CR not followed by LF
        { "+O\nK\r\n", 2 },                          // bare LF inside a simple string
        { "-ERR\n", 4 },
        { ":12a\r\n", 3 },                           // non-numeric integer
        { ":\r\n", 1 },                              // empty integer
        { ":-\r\n", 1 },
        { ":99999999999999999999\r\n", 1 },          // overflowing integer
        { ":1 \r\n", 2 },
        { "$abc\r\n", 1 },                           // non-numeric length
        { "$\r\n", 1 },
        { "$-2\r\n", 1 },                            // negative length other than -1
        { "$99999999999999999999999\r\n", 1 },       // overflowing length
        { "$+3\r\nabc\r\n", 1 },
        { "$3\r\nbarX\r\n", 7 },                     // missing CRLF after payload
        { "$3\r\nbar\rX", 8 },
        { "$1\r\n", -1 },                            // incomplete, not malformed (checked separately)
        { "*-5\r\n", 1 },
        { "*1x\r\n", 2 },
        { "%-1\r\n", 1 },                            // null not allowed for maps
        { ">?\r\n", 1 },                             // pushes cannot be streamed
        { "|?\r\n", 1 },
        { "~?x\r\n", 2 },
        { "#x\r\n", 1 },                             // bad boolean
        { "#tt\r\n", 2 },
        { "#t\r\r", 3 },
        { ",abc\r\n", 1 },                           // bad double
        { ",1.2.3\r\n", 1 },
        { ",\r\n", 1 },
        { ",Infinity\r\n", 1 },
        { ",1e\r\n", 1 },
        { "_x\r\n", 1 },                             // null with payload
        { "=3\r\ntxt\r\n", 1 },                      // verbatim shorter than "fmt:"
        { "=5\r\ntxt-x\r\n", 7 },                    // verbatim without ':'
        { ";3\r\nabc\r\n", 0 },                      // chunk outside a streamed string
        { ".\r\n", 0 },                              // end outside a streamed aggregate
        { "*1\r\n.\r\n", 4 },                        // end inside a counted aggregate
        { "$?\r\n+x\r\n", 4 },                       // streamed string needs chunks
        { "$?\r\n;-1\r\n", 5 },
        { "$?\r\n;?\r\n", 5 },
        { "*?\r\n|1\r\n+a\r\n+b\r\n.\r\n", 16 },     // attribute without a value
        { "%?\r\n+a\r\n.\r\n", 8 },                  // streamed map with a key but no value
        { "(12x\r\n", 3 },                           // bad big number
        { "(\r\n", 1 },
        { "(-\r\n", 2 },
        { "*1\r\n:abc\r\n", 5 },
        { "$" + new string('1', 70) + "\r\n", 65 },  // header line too long
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Throws_with_offset_at_every_split(string wire, long offset)
    {
        byte[] data = Encoding.ASCII.GetBytes(wire);
        foreach (var shape in Sequences.AllShapes(data))
        {
            var state = default(RespScanState);
            if (offset < 0)
            {
                Assert.False(RespFrameScanner.TryScan(ref state, shape, RespLimits.Default, out _));
                continue;
            }
            var ex = Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, shape, RespLimits.Default, out _));
            Assert.Equal(offset, ex.Offset);
            Assert.Contains($"offset {offset}", ex.Message);
            Assert.Contains("expected", ex.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Throws_with_same_offset_when_fed_incrementally(string wire, long offset)
    {
        byte[] data = Encoding.ASCII.GetBytes(wire);
        var state = default(RespScanState);
        RespProtocolException? thrown = null;
        for (int n = 0; n <= data.Length && thrown is null; n++)
        {
            try
            {
                Assert.False(RespFrameScanner.TryScan(ref state, new(data.AsMemory(0, n)), RespLimits.Default, out _));
            }
            catch (RespProtocolException ex)
            {
                thrown = ex;
            }
        }
        if (offset < 0) Assert.Null(thrown);
        else Assert.Equal(offset, Assert.IsType<RespProtocolException>(thrown).Offset);
    }

    [Fact]
    public void Reader_rejects_malformed_bytes_too()
    {
        // The reader is meant for scanned frames, but it must still fail cleanly on garbage.
        foreach (string wire in new[] { "x\r\n", ":1a\r\n", "$3\r\nab", "*1\r\n#q\r\n", "=2\r\nab\r\n" })
        {
            Assert.Throws<RespProtocolException>(() =>
            {
                var r = new RespReader(new(Encoding.ASCII.GetBytes(wire)));
                while (r.Read()) r.ReadValue();
            });
        }
    }

    [Fact]
    public void Limits_are_enforced()
    {
        var small = new RespLimits { MaxBulkLength = 10, MaxDepth = 2, MaxAggregateLength = 3 };
        AssertThrowsAt("$11\r\n", small, 1);
        AssertThrowsAt("=11\r\n", small, 1);
        AssertThrowsAt("+" + new string('a', 11), small, 11);            // long simple line, even without CRLF yet
        AssertThrowsAt("$?\r\n;6\r\naaaaaa\r\n;5\r\n", small, 17);       // streamed total over the limit
        AssertThrowsAt("*1\r\n*1\r\n*1\r\n:1\r\n", small, 8);            // depth
        AssertThrowsAt("|1\r\n*1\r\n*1\r\n", small, 8);                  // attributes count as depth
        AssertThrowsAt("*4\r\n", small, 1);                              // aggregate length
        AssertThrowsAt("%4\r\n", small, 1);
        AssertThrowsAt("*?\r\n:1\r\n:1\r\n:1\r\n:1\r\n", small, 20);     // streamed aggregate length (offset after the 4th element)
        var ok = default(RespScanState);
        Assert.True(RespFrameScanner.TryScan(ref ok, new("*3\r\n%3\r\n:1\r\n:1\r\n:1\r\n:1\r\n:1\r\n:1\r\n:1\r\n:1\r\n"u8.ToArray()), small, out _));
    }

    [Fact]
    public void Deep_nesting_fails_fast_without_stack_overflow()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 100_000; i++) sb.Append("*1\r\n");
        var state = default(RespScanState);
        var ex = Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, new(Encoding.ASCII.GetBytes(sb.ToString())), RespLimits.Default, out _));
        Assert.Equal(64 * 4, ex.Offset);
        Assert.Contains("MaxDepth", ex.Message);
    }

    [Fact]
    public void Deep_nesting_within_a_raised_limit_uses_the_spill_stack()
    {
        var limits = new RespLimits { MaxDepth = 1000 };
        var sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) sb.Append("*1\r\n");
        sb.Append(":1\r\n");
        byte[] data = Encoding.ASCII.GetBytes(sb.ToString());
        var state = default(RespScanState);
        Assert.True(RespFrameScanner.TryScan(ref state, new(data), limits, out long length));
        Assert.Equal(data.Length, length);
        var r = new RespReader(new(data));
        Assert.True(r.Read());
        Assert.Equal(1, r.ReadValue().Count);
    }

    [Fact]
    public void Limits_validate_their_ranges()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxDepth = RespLimits.AbsoluteMaxDepth + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxBulkLength = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RespLimits { MaxAggregateLength = -1 });
        Assert.Equal(64L * 1024 * 1024, RespLimits.Default.MaxBulkLength);
        Assert.Equal(64, RespLimits.Default.MaxDepth);
    }

    private static void AssertThrowsAt(string wire, RespLimits limits, long offset)
    {
        var state = default(RespScanState);
        var ex = Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, new(Encoding.ASCII.GetBytes(wire)), limits, out _));
        Assert.Equal(offset, ex.Offset);
    }
}
