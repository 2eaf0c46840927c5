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
    // 16 bytes, because every command carries up to eight of these inline and is copied on its way to the wire:
    // the reference tells the kind (a string, a byte[], or one of the two tags below for numbers; null for none).
    private readonly object? _ref;
    private readonly long _number;        // integer value, double bits, or a byte[]'s offset (high half) and length (low half)

    private static readonly object IntegerTag = new();
    private static readonly object DoubleTag = new();

    private RedisArgument(object? reference, long number)
    {
        _ref = reference;
        _number = number;
    }

    private RedisArgument(byte[] bytes, int offset, int length)
        : this(bytes, ((long)offset << 32) | (uint)length)
    {
    }

    internal ArgumentKind Kind
    {
        get
        {
            object? reference = _ref;
            if (reference is null) return ArgumentKind.None;
            if (reference is string) return ArgumentKind.Text;
            if (ReferenceEquals(reference, IntegerTag)) return ArgumentKind.Integer;
            return ReferenceEquals(reference, DoubleTag) ? ArgumentKind.Double : ArgumentKind.Bytes;
        }
    }

    internal string Text => (string)_ref!;
    internal long Integer => _number;
    internal double Double => BitConverter.Int64BitsToDouble(_number);
    private int Offset => (int)(_number >> 32);
    private int Length => (int)(uint)_number;
    /// <summary>The bytes of a byte argument as memory (no copy).</summary>
    internal ReadOnlyMemory<byte> Memory => _ref is byte[] bytes ? new ReadOnlyMemory<byte>(bytes, Offset, Length) : default;
    internal ReadOnlySpan<byte> Span => _ref is byte[] bytes ? new ReadOnlySpan<byte>(bytes, Offset, Length) : default;

    /// <summary>Creates a text argument.</summary>
    public static RedisArgument FromString(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), 0);

    /// <summary>Creates a bytes argument. Array-backed memory is referenced, not copied; other memory is copied once.</summary>
    public static RedisArgument FromBytes(ReadOnlyMemory<byte> value)
    {
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(value, out ArraySegment<byte> segment))
        {
            return new RedisArgument(segment.Array ?? [], segment.Offset, segment.Count);
        }
        byte[] copy = value.ToArray();
        return new RedisArgument(copy, 0, copy.Length);
    }

    /// <summary>Creates an integer argument.</summary>
    public static RedisArgument FromInt64(long value) => new(IntegerTag, value);

    /// <summary>Creates a floating-point argument (sent as <c>inf</c>/<c>-inf</c> or round-trippable digits).</summary>
    public static RedisArgument FromDouble(double value)
    {
        if (double.IsNaN(value)) throw new ArgumentException("NaN cannot be sent to Redis as a number.", nameof(value));
        return new(DoubleTag, BitConverter.DoubleToInt64Bits(value));
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
    internal bool EqualsIgnoreCase(string asciiUpper) => Kind switch
    {
        ArgumentKind.Text => string.Equals(Text, asciiUpper, StringComparison.OrdinalIgnoreCase),
        ArgumentKind.Bytes => Ascii.EqualsIgnoreCase(Span, Encoding.ASCII.GetBytes(asciiUpper)),
        _ => false,
    };

    /// <summary>The argument as text (bytes decoded as UTF-8).</summary>
    public override string ToString() => Kind switch
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
