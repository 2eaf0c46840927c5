using System.Globalization;
using System.Text;

namespace Keyslot;

/// <summary>
/// One argument of a command: text (UTF-8), bytes, an integer or a floating-point number.
/// Converts implicitly from those types, so <c>ExecuteAsync("HSET", "user:{42}", "name", "Ada")</c> reads naturally.
/// It holds the value as given; encoding happens once, straight into the connection's buffer.
/// </summary>
public readonly struct RedisArgument
{
    private readonly object? _ref;        // string, or byte[] for bytes
    private readonly long _number;        // integer value, double bits, or the offset into the byte[]
    private readonly int _length;         // byte length for bytes
    private readonly ArgumentKind _kind;

    private RedisArgument(object? reference, long number, int length, ArgumentKind kind)
    {
        _ref = reference;
        _number = number;
        _length = length;
        _kind = kind;
    }

    internal ArgumentKind Kind => _kind;
    internal string Text => (string)_ref!;
    internal long Integer => _number;
    internal double Double => BitConverter.Int64BitsToDouble(_number);
    /// <summary>The bytes of a byte argument as memory (no copy).</summary>
    internal ReadOnlyMemory<byte> Memory => _kind == ArgumentKind.Bytes ? new ReadOnlyMemory<byte>((byte[])_ref!, (int)_number, _length) : default;
    internal ReadOnlySpan<byte> Span => _kind == ArgumentKind.Bytes ? new ReadOnlySpan<byte>((byte[])_ref!, (int)_number, _length) : default;

    /// <summary>Creates a text argument.</summary>
    public static RedisArgument FromString(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), 0, 0, ArgumentKind.Text);

    /// <summary>Creates a bytes argument. Array-backed memory is referenced, not copied; other memory is copied once.</summary>
    public static RedisArgument FromBytes(ReadOnlyMemory<byte> value)
    {
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(value, out ArraySegment<byte> segment))
        {
            return new RedisArgument(segment.Array ?? [], segment.Offset, segment.Count, ArgumentKind.Bytes);
        }
        byte[] copy = value.ToArray();
        return new RedisArgument(copy, 0, copy.Length, ArgumentKind.Bytes);
    }

    /// <summary>Creates an integer argument.</summary>
    public static RedisArgument FromInt64(long value) => new(null, value, 0, ArgumentKind.Integer);

    /// <summary>Creates a floating-point argument (sent as <c>inf</c>/<c>-inf</c> or round-trippable digits).</summary>
    public static RedisArgument FromDouble(double value)
    {
        if (double.IsNaN(value)) throw new ArgumentException("NaN cannot be sent to Redis as a number.", nameof(value));
        return new(null, BitConverter.DoubleToInt64Bits(value), 0, ArgumentKind.Double);
    }

    /// <summary>Converts text.</summary>
    public static implicit operator RedisArgument(string value) => FromString(value);
    /// <summary>Converts bytes.</summary>
    public static implicit operator RedisArgument(byte[] value) => FromBytes(value ?? throw new ArgumentNullException(nameof(value)));
    /// <summary>Converts bytes.</summary>
    public static implicit operator RedisArgument(ReadOnlyMemory<byte> value) => FromBytes(value);
    /// <summary>Converts an integer.</summary>
    public static implicit operator RedisArgument(long value) => FromInt64(value);
    /// <summary>Converts an integer.</summary>
    public static implicit operator RedisArgument(int value) => FromInt64(value);
    /// <summary>Converts a floating-point number.</summary>
    public static implicit operator RedisArgument(double value) => FromDouble(value);
    /// <summary>Converts a key.</summary>
    public static implicit operator RedisArgument(RedisKey key) => key.Text is { } text ? FromString(text) : FromBytes(key.Bytes);

    /// <summary>True when the argument equals <paramref name="asciiUpper"/> ignoring ASCII case (for keyword-based key lookup).</summary>
    internal bool EqualsIgnoreCase(string asciiUpper) => _kind switch
    {
        ArgumentKind.Text => string.Equals(Text, asciiUpper, StringComparison.OrdinalIgnoreCase),
        ArgumentKind.Bytes => Ascii.EqualsIgnoreCase(Span, Encoding.ASCII.GetBytes(asciiUpper)),
        _ => false,
    };

    /// <summary>The argument as text (bytes decoded as UTF-8).</summary>
    public override string ToString() => _kind switch
    {
        ArgumentKind.Text => Text,
        ArgumentKind.Bytes => Encoding.UTF8.GetString(Span),
        ArgumentKind.Integer => _number.ToString(CultureInfo.InvariantCulture),
        ArgumentKind.Double => Double.ToString("R", CultureInfo.InvariantCulture),
        _ => string.Empty,
    };
}

/// <summary>How a <see cref="RedisArgument"/> holds its value.</summary>
internal enum ArgumentKind : byte
{
    None = 0,
    Text,
    Bytes,
    Integer,
    Double,
}
