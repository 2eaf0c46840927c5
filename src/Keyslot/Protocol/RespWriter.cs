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
    // Largest header "$<20 digits>\r\n" or "*<10 digits>\r\n".
    private const int MaxHeader = 1 + 20 + 2;

    // Payloads up to this size are written with a single GetSpan; larger ones are copied in chunks so the writer
    // is never asked for one enormous contiguous span.
    private const int SingleSpanLimit = 8192;

    /// <summary>Writes an array header <c>*count\r\n</c>.</summary>
    public static void WriteArrayHeader(IBufferWriter<byte> writer, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Span<byte> span = writer.GetSpan(MaxHeader);
        int n = WriteHeader(span, (byte)'*', count);
        writer.Advance(n);
    }

    /// <summary>Writes raw bytes as a bulk string.</summary>
    public static void WriteBulkString(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        if (value.Length <= SingleSpanLimit)
        {
            Span<byte> span = writer.GetSpan(MaxHeader + value.Length + 2);
            int n = WriteHeader(span, (byte)'$', value.Length);
            value.CopyTo(span[n..]);
            n += value.Length;
            span[n] = (byte)'\r';
            span[n + 1] = (byte)'\n';
            writer.Advance(n + 2);
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
        // Encoding.UTF8 replaces invalid surrogates with U+FFFD exactly like Utf8.FromUtf16(replaceInvalidSequences: true),
        // so the announced length always matches the bytes written.
        int byteCount = value.Length <= 128 && Ascii.IsValid(value) ? value.Length : Encoding.UTF8.GetByteCount(value);
        if (byteCount <= SingleSpanLimit)
        {
            Span<byte> span = writer.GetSpan(MaxHeader + byteCount + 2);
            int n = WriteHeader(span, (byte)'$', byteCount);
            Utf8.FromUtf16(value, span.Slice(n, byteCount), out _, out int written, replaceInvalidSequences: true);
            n += written;
            span[n] = (byte)'\r';
            span[n + 1] = (byte)'\n';
            writer.Advance(n + 2);
            return;
        }
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
    public static void WriteBulkString(IBufferWriter<byte> writer, long value)
    {
        Span<byte> digits = stackalloc byte[MaxNumberLength];
        WriteBulkString(writer, digits[..FormatInteger(value, digits)]);
    }

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
    public static void WriteBulkString(IBufferWriter<byte> writer, double value)
    {
        Span<byte> text = stackalloc byte[MaxNumberLength];
        WriteBulkString(writer, text[..FormatDouble(value, text)]);
    }

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
