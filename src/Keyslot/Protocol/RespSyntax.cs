using System.Buffers;
using System.Globalization;

namespace Keyslot.Protocol;

/// <summary>
/// Low-level RESP token parsing shared by the scanner and the reader. Every method either succeeds, reports
/// "need more data" (returns false, leaving the reader where it was), or throws <see cref="RespProtocolException"/>.
/// <c>origin</c> is the frame offset of <c>r.Sequence.Start</c>, so <c>origin + r.Consumed</c> is a frame offset.
/// </summary>
internal static class RespSyntax
{
    /// <summary>Longest header line (length, integer, double, boolean, null) accepted; real ones are at most ~25 bytes.</summary>
    public const int MaxNumberLine = 64;

    /// <summary><see cref="ParseLength"/> result for the RESP2 null "-1".</summary>
    public const long NullLength = -1;

    /// <summary><see cref="ParseLength"/> result for the streamed "?".</summary>
    public const long StreamedLength = -2;

    /// <summary>
    /// Reads a short line up to CRLF. Returns a slice of the input when the line is contiguous, otherwise copies it
    /// into <paramref name="scratch"/> (which also bounds its length). The reader is taken by value (so a span over
    /// the caller's stack scratch can never be captured by the caller's reader); advance it by <paramref name="consumed"/>.
    /// </summary>
    public static bool TryReadLine(SequenceReader<byte> r, Span<byte> scratch, long origin, out ReadOnlySpan<byte> line, out int consumed)
    {
        ReadOnlySpan<byte> span = r.UnreadSpan;
        int window = Math.Min(span.Length, scratch.Length + 1);
        int cr = span[..window].IndexOf((byte)'\r');
        if (cr >= 0 && cr + 1 < span.Length)
        {
            if (span[cr + 1] != '\n') throw RespProtocolException.Expected(origin + r.Consumed + cr + 1, "LF after CR", span[cr + 1]);
            line = span[..cr];
            consumed = cr + 2;
            return true;
        }

        // Slow path: the line straddles segments (or is too long, which throws below).
        SequenceReader<byte> c = r;
        int n = 0;
        while (true)
        {
            if (!c.TryRead(out byte b)) break;
            if (b == '\r')
            {
                if (!c.TryRead(out byte lf)) break;
                if (lf != '\n') throw RespProtocolException.Expected(origin + c.Consumed - 1, "LF after CR", lf);
                line = scratch[..n];
                consumed = (int)(c.Consumed - r.Consumed);
                return true;
            }
            if (n == scratch.Length) throw new RespProtocolException(origin + c.Consumed - 1, $"expected CRLF within {scratch.Length} bytes of a header line, found {RespProtocolException.Describe(b)}");
            scratch[n++] = b;
        }
        line = default;
        consumed = 0;
        return false;
    }

    /// <summary>
    /// Fast path for the common "&lt;type&gt;&lt;digits&gt;\r\n" header lying wholly in <paramref name="span"/> (which starts
    /// at the type byte): returns the header length and the non-negative count, or 0 when the slow path must decide
    /// (split across segments, sign, '?', more than 18 digits, or malformed: the slow path reports errors).
    /// </summary>
    public static int TryFastHeader(ReadOnlySpan<byte> span, out long count)
    {
        count = 0;
        int i = 1;
        int limit = Math.Min(span.Length, 19); // at most 18 digits, so no overflow check is needed
        long n = 0;
        while (i < limit)
        {
            uint d = (uint)(span[i] - '0');
            if (d > 9) break;
            n = n * 10 + d;
            i++;
        }
        if (i == 1 || i + 1 >= span.Length || span[i] != '\r' || span[i + 1] != '\n') return 0;
        count = n;
        return i + 2;
    }

    /// <summary>
    /// Fast path for a simple line ('+'/'-' payload) wholly in <paramref name="span"/> (starting at the type byte):
    /// returns the payload length, or -1 when the slow path must decide.
    /// </summary>
    public static int TryFastSimpleLine(ReadOnlySpan<byte> span)
    {
        int i = span[1..].IndexOfAny((byte)'\r', (byte)'\n') + 1;
        if (i == 0 || span[i] != '\r' || i + 1 >= span.Length || span[i + 1] != '\n') return -1;
        return i - 1;
    }

    /// <summary>
    /// Fast path for an integer line (':' payload) wholly in <paramref name="span"/>: returns the payload length and
    /// the value, or -1 when the slow path must decide.
    /// </summary>
    public static int TryFastInteger(ReadOnlySpan<byte> span, out long value)
    {
        value = 0;
        int i = span[1..Math.Min(span.Length, 23)].IndexOf((byte)'\r') + 1;
        if (i == 0 || i + 1 >= span.Length || span[i + 1] != '\n') return -1;
        return TryParseInteger(span[1..i], out value, out _) ? i - 1 : -1;
    }

    /// <summary>Consumes CRLF.</summary>
    public static bool TryExpectCrlf(ref SequenceReader<byte> r, long origin)
    {
        if (!r.TryPeek(out byte a)) return false;
        if (a != '\r') throw RespProtocolException.Expected(origin + r.Consumed, "CR", a);
        if (!r.TryPeek(1, out byte b)) return false;
        if (b != '\n') throw RespProtocolException.Expected(origin + r.Consumed + 1, "LF after CR", b);
        r.Advance(2);
        return true;
    }

    /// <summary>
    /// Skips the payload of a simple string/error/big number up to and including CRLF; the payload may not contain CR or LF.
    /// <paramref name="alreadyChecked"/> payload bytes are known to be free of CR/LF from an earlier call and are not
    /// searched again, so a long line arriving in pieces costs linear time. On "need more", <paramref name="length"/>
    /// is the number of payload bytes now known to be clean.
    /// </summary>
    public static bool TrySkipSimpleLine(ref SequenceReader<byte> r, long origin, long maxLength, long alreadyChecked, out long length)
        => TrySkipSimpleLine(ref r, origin, maxLength, alreadyChecked, 0, out length, out _);

    /// <summary>
    /// <see cref="TrySkipSimpleLine(ref SequenceReader{byte}, long, long, long, out long)"/> for a line whose first
    /// <paramref name="before"/> payload bytes lie before <paramref name="r"/> (already known clean): lengths count them
    /// too. On "need more", <paramref name="checkedEnd"/> is the position just after the bytes known to be clean.
    /// </summary>
    public static bool TrySkipSimpleLine(ref SequenceReader<byte> r, long origin, long maxLength, long alreadyChecked, long before, out long length, out SequencePosition checkedEnd)
    {
        SequenceReader<byte> c = r;
        if (alreadyChecked > 0) c.Advance(alreadyChecked);
        long limitAt = origin + r.Consumed - before + maxLength; // frame offset of the first byte past the limit
        if (!c.TryAdvanceToAny("\r\n"u8, advancePastDelimiter: false))
        {
            RespWork.Bytes += r.Remaining;
            length = before + r.Remaining;
            checkedEnd = r.Sequence.End;
            if (length > maxLength) throw new RespProtocolException(limitAt, "expected CRLF: simple line longer than MaxBulkLength");
            return false;
        }
        RespWork.Bytes += c.Consumed - r.Consumed;
        length = before + c.Consumed - r.Consumed;
        if (length > maxLength) throw new RespProtocolException(limitAt, "expected CRLF: simple line longer than MaxBulkLength");
        checkedEnd = c.Position;
        c.TryPeek(out byte d);
        if (d == '\n') throw RespProtocolException.Expected(origin + c.Consumed, "CR (a simple line cannot contain a bare LF)", d);
        if (!TryExpectCrlf(ref c, origin)) return false;
        r = c;
        return true;
    }

    /// <summary>Parses a length: digits, or "-1" (RESP2 null) / "?" (streamed) where allowed.</summary>
    public static long ParseLength(ReadOnlySpan<byte> line, long lineOffset, bool allowNull, bool allowStreamed)
    {
        if (line.IsEmpty) throw RespProtocolException.Expected(lineOffset, "a length", "CRLF");
        if (line[0] == '?')
        {
            if (!allowStreamed) throw RespProtocolException.Expected(lineOffset, "a length (streaming is not allowed here)", line[0]);
            if (line.Length != 1) throw RespProtocolException.Expected(lineOffset + 1, "CRLF after '?'", line[1]);
            return StreamedLength;
        }
        if (line[0] == '-')
        {
            if (allowNull && line.Length == 2 && line[1] == '1') return NullLength;
            throw RespProtocolException.Expected(lineOffset, allowNull ? "a non-negative length or -1" : "a non-negative length", "a negative length");
        }
        long value = 0;
        for (int i = 0; i < line.Length; i++)
        {
            uint d = (uint)(line[i] - '0');
            if (d > 9) throw RespProtocolException.Expected(lineOffset + i, "a decimal digit in a length", line[i]);
            if (value > (long.MaxValue - d) / 10) throw RespProtocolException.Expected(lineOffset, "a length that fits in 64 bits", "an overflowing length");
            value = value * 10 + d;
        }
        return value;
    }

    /// <summary>Parses a signed 64-bit decimal integer with an optional '+' or '-' sign.</summary>
    public static long ParseInteger(ReadOnlySpan<byte> line, long lineOffset)
    {
        if (!TryParseInteger(line, out long value, out int bad))
        {
            if (bad >= line.Length) throw RespProtocolException.Expected(lineOffset, "a 64-bit integer", line.IsEmpty || bad > line.Length ? "CRLF" : "an overflowing integer");
            throw RespProtocolException.Expected(lineOffset + bad, "a decimal digit", line[bad]);
        }
        return value;
    }

    /// <summary>Parses a signed decimal integer; on failure <paramref name="bad"/> is the offending index (line length for overflow).</summary>
    public static bool TryParseInteger(ReadOnlySpan<byte> line, out long value, out int bad)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (line.Length > 0 && (line[0] == '-' || line[0] == '+')) { negative = line[0] == '-'; i = 1; }
        if (i == line.Length) { bad = line.Length + 1; return false; }
        // Accumulate negatively so long.MinValue parses without overflow.
        long acc = 0;
        for (; i < line.Length; i++)
        {
            uint d = (uint)(line[i] - '0');
            if (d > 9) { bad = i; return false; }
            if (acc < (long.MinValue + d) / 10) { bad = line.Length; return false; }
            acc = acc * 10 - d;
        }
        if (!negative)
        {
            if (acc == long.MinValue) { bad = line.Length; return false; }
            acc = -acc;
        }
        value = acc;
        bad = -1;
        return true;
    }

    /// <summary>Parses a RESP3 double: decimal with optional exponent, or inf/-inf/nan.</summary>
    public static double ParseDouble(ReadOnlySpan<byte> line, long lineOffset)
    {
        if (!TryParseDouble(line, out double value))
            throw RespProtocolException.Expected(lineOffset, "a double (digits, '.', exponent, inf, -inf or nan)", line.IsEmpty ? "CRLF" : "malformed text");
        return value;
    }

    /// <summary>Parses a RESP3 double, rejecting anything but [sign]digits[.digits][e[sign]digits], inf, -inf and nan.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> line, out double value)
    {
        ReadOnlySpan<byte> unsigned = line.Length > 0 && (line[0] == '-' || line[0] == '+') ? line[1..] : line;
        if (System.Text.Ascii.EqualsIgnoreCase(unsigned, "inf"u8))
        {
            value = line[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (System.Text.Ascii.EqualsIgnoreCase(unsigned, "nan"u8))
        {
            value = double.NaN;
            return true;
        }
        // Restrict the alphabet first: the BCL parser would also accept "Infinity", "NaN" and culture symbols.
        if (unsigned.IsEmpty || unsigned.IndexOfAnyExcept("0123456789.eE+-"u8) >= 0 || (uint)(unsigned[0] - '0') > 9 && unsigned[0] != '.')
        {
            value = 0;
            return false;
        }
        return double.TryParse(line, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Validates a big number payload: optional sign then at least one digit, nothing else.</summary>
    public static void ValidateBigNumber(in ReadOnlySequence<byte> payload, long payloadOffset)
    {
        long index = 0;
        bool digits = false;
        foreach (ReadOnlyMemory<byte> memory in payload)
        {
            ReadOnlySpan<byte> span = memory.Span;
            for (int i = 0; i < span.Length; i++, index++)
            {
                byte b = span[i];
                if ((uint)(b - '0') <= 9) { digits = true; continue; }
                if (index == 0 && (b == '-' || b == '+')) continue;
                throw RespProtocolException.Expected(payloadOffset + index, "a decimal digit in a big number", b);
            }
        }
        if (!digits) throw RespProtocolException.Expected(payloadOffset + index, "a decimal digit in a big number", "CRLF");
    }}
