using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace Keyslot.Protocol;

/// <summary>
/// Encodes commands (an array of bulk strings) straight into an <see cref="IBufferWriter{T}"/>: no intermediate
/// strings or arrays, so writing a command allocates nothing beyond what the buffer writer itself does.
/// </summary>
internal static class RespWriter
{
    /// <summary>Largest header "$&lt;20 digits&gt;\r\n" or "*&lt;10 digits&gt;\r\n".</summary>
    public const int MaxHeader = 1 + 20 + 2;

    /// <summary>
    /// Payloads (and whole commands, see <see cref="RespCommand.WriteTo"/>) up to this size are written into a single
    /// span of the writer; larger ones are copied in chunks so the writer is never asked for one enormous span.
    /// </summary>
    public const int SingleSpanLimit = 8192;

    /// <summary>Most bytes a UTF-16 character takes in UTF-8 (a surrogate pair: 4 bytes for 2 characters).</summary>
    public const int MaxUtf8BytesPerChar = 3;

    /// <summary>Writes an array header <c>*count\r\n</c>.</summary>
    public static void WriteArrayHeader(IBufferWriter<byte> writer, int count) => writer.Advance(WriteArrayHeader(writer.GetSpan(MaxHeader), count));

    /// <summary>Writes an array header into <paramref name="span"/> (at least <see cref="MaxHeader"/> bytes); returns the bytes written.</summary>
    public static int WriteArrayHeader(Span<byte> span, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return WriteHeader(span, (byte)'*', count);
    }

    /// <summary>Writes raw bytes as a bulk string into <paramref name="span"/>, which has room for it; returns the bytes written.</summary>
    public static int WriteBulkString(Span<byte> span, ReadOnlySpan<byte> value)
    {
        int n = WriteHeader(span, (byte)'$', value.Length);
        value.CopyTo(span[n..]);
        n += value.Length;
        span[n] = (byte)'\r';
        span[n + 1] = (byte)'\n';
        return n + 2;
    }

    /// <summary>
    /// Writes text as a UTF-8 bulk string into <paramref name="span"/>, which has room for
    /// <see cref="MaxUtf8BytesPerChar"/> bytes per character (lone surrogates become U+FFFD); returns the bytes written.
    /// </summary>
    public static int WriteBulkString(Span<byte> span, ReadOnlySpan<char> value)
    {
        int byteCount = Utf8Length(value);
        int n = WriteHeader(span, (byte)'$', byteCount);
        Utf8.FromUtf16(value, span.Slice(n, byteCount), out _, out int written, replaceInvalidSequences: true);
        n += written;
        span[n] = (byte)'\r';
        span[n + 1] = (byte)'\n';
        return n + 2;
    }

    /// <summary>Writes an integer as a bulk string of its decimal digits into <paramref name="span"/>; returns the bytes written.</summary>
    public static int WriteBulkString(Span<byte> span, long value)
    {
        Span<byte> digits = stackalloc byte[MaxNumberLength];
        return WriteBulkString(span, digits[..FormatInteger(value, digits)]);
    }

    /// <summary>Writes a double as <see cref="FormatDouble"/> does, as a bulk string into <paramref name="span"/>; returns the bytes written.</summary>
    public static int WriteBulkString(Span<byte> span, double value)
    {
        Span<byte> text = stackalloc byte[MaxNumberLength];
        return WriteBulkString(span, text[..FormatDouble(value, text)]);
    }

    /// <summary>Writes raw bytes as a bulk string.</summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        if (value.Length <= SingleSpanLimit)
        {
            writer.Advance(WriteBulkString(writer.GetSpan(MaxHeader + value.Length + 2), value));
            return;
        }
        Span<byte> header = writer.GetSpan(MaxHeader);
        writer.Advance(WriteHeader(header, (byte)'$', value.Length));
        while (!value.IsEmpty)
        {
            Span<byte> span = writer.GetSpan(1);
            int chunk = Math.Min(span.Length, value.Length);
            value[..chunk].CopyTo(span);
            writer.Advance(chunk);
            value = value[chunk..];
        }
        WriteCrlf(writer);
    }

    /// <summary>Writes text as a UTF-8 bulk string, encoding directly into the writer (lone surrogates become U+FFFD).</summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, ReadOnlySpan<char> value)
    {
        if (value.Length <= SingleSpanLimit / MaxUtf8BytesPerChar)
        {
            writer.Advance(WriteBulkString(writer.GetSpan(MaxHeader + value.Length * MaxUtf8BytesPerChar + 2), value));
            return;
        }
        int byteCount = Utf8Length(value);
        Span<byte> header = writer.GetSpan(MaxHeader);
        writer.Advance(WriteHeader(header, (byte)'$', byteCount));
        while (!value.IsEmpty)
        {
            // At least 4 bytes so one code point always fits.
            Span<byte> span = writer.GetSpan(4);
            Utf8.FromUtf16(value, span, out int read, out int written, replaceInvalidSequences: true, isFinalBlock: true);
            writer.Advance(written);
            value = value[read..];
        }
        WriteCrlf(writer);
    }

    /// <summary>Writes an integer as a bulk string of its decimal digits.</summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, long value) =>
        writer.Advance(WriteBulkString(writer.GetSpan(MaxHeader + MaxNumberLength + 2), value));

    // Encoding.UTF8 replaces invalid surrogates with U+FFFD exactly like Utf8.FromUtf16(replaceInvalidSequences: true),
    // so the announced length always matches the bytes written.
    private static int Utf8Length(ReadOnlySpan<char> value) =>
        value.Length <= 128 && Ascii.IsValid(value) ? value.Length : Encoding.UTF8.GetByteCount(value);

    /// <summary>Room for any integer or double as this writer formats it.</summary>
    public const int MaxNumberLength = 32;

    /// <summary>A numeric argument (integer or double) as it goes on the wire; what a number used as a key hashes as.</summary>
    public static int FormatNumber(RedisArgument number, Span<byte> destination) =>
        number.Kind == ArgumentKind.Integer ? FormatInteger(number.Integer, destination) : FormatDouble(number.Double, destination);

    /// <summary>An integer as it goes on the wire (and so as the server stores and hashes it).</summary>
    public static int FormatInteger(long value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out int length);
        return length;
    }

    /// <summary>
    /// Writes a double as a bulk string in shortest round-trippable form; infinities as "inf"/"-inf" (what Redis
    /// parses), NaN as "nan" (which the server rejects for most commands, as it should).
    /// </summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, double value) =>
        writer.Advance(WriteBulkString(writer.GetSpan(MaxHeader + MaxNumberLength + 2), value));

    /// <summary>A double as it goes on the wire: shortest round-trip form, infinities as "inf"/"-inf", NaN as "nan".</summary>
    public static int FormatDouble(double value, Span<byte> destination)
    {
        ReadOnlySpan<byte> special = double.IsPositiveInfinity(value) ? "inf"u8 : double.IsNegativeInfinity(value) ? "-inf"u8 : double.IsNaN(value) ? "nan"u8 : default;
        if (!special.IsEmpty)
        {
            special.CopyTo(destination);
            return special.Length;
        }
        // "R" is the shortest string that parses back to the same double; invariant culture, so '.' and 'E'.
        value.TryFormat(destination, out int length, "R", System.Globalization.CultureInfo.InvariantCulture);
        return length;
    }

    private static int WriteHeader(Span<byte> span, byte prefix, long length)
    {
        span[0] = prefix;
        Utf8Formatter.TryFormat(length, span[1..], out int written);
        int n = written + 1;
        span[n] = (byte)'\r';
        span[n + 1] = (byte)'\n';
        return n + 2;
    }

    private static void WriteCrlf(IBufferWriter<byte> writer)
    {
        Span<byte> span = writer.GetSpan(2);
        span[0] = (byte)'\r';
        span[1] = (byte)'\n';
        writer.Advance(2);
    }
}
