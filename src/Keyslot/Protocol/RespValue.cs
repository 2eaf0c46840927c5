using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

using Keyslot.Protocol;

namespace Keyslot;

/// <summary>
/// A materialized reply value. Scalars keep their payload bytes (strings, errors, big numbers, verbatim text) or
/// their number (integer, boolean, double); aggregates keep their elements, maps as 2n alternating key, value.
/// Conversions that do not apply throw <see cref="InvalidCastException"/>.
/// </summary>
public readonly struct RespValue : IEquatable<RespValue>
{
    // byte[] (string-like payload), RespValue[] (aggregate elements) or Annotated (either, plus attributes).
    private readonly object? _storage;
    // Integer/Boolean value, double bits, or the packed 3-byte verbatim format.
    private readonly long _bits;
    private readonly RespType _type;

    // Attributes are rare, so they live in a wrapper instead of widening every value by another field.
    private sealed class Annotated(object? payload, RespValue[] attributes)
    {
        public readonly object? Payload = payload;
        public readonly RespValue[] Attributes = attributes;
    }

    internal RespValue(RespType type, long bits, object? storage)
    {
        _type = type;
        _bits = bits;
        _storage = storage;
    }

    /// <summary>The RESP3 null.</summary>
    public static RespValue Null => new(RespType.Null, 0, null);

    /// <summary>The value's type; <see cref="RespType.None"/> for <c>default</c>.</summary>
    public RespType Type => _type;

    /// <summary>True for null (including RESP2 null bulk strings and arrays).</summary>
    public bool IsNull => _type == RespType.Null;

    /// <summary>True for simple and bulk errors.</summary>
    public bool IsError => _type is RespType.SimpleError or RespType.BulkError;

    /// <summary>True for arrays, maps, sets, pushes and attribute maps.</summary>
    public bool IsAggregate => _type is RespType.Array or RespType.Map or RespType.Set or RespType.Push or RespType.Attribute;

    private object? Payload => _storage is Annotated a ? a.Payload : _storage;

    private byte[]? Bytes => Payload as byte[];

    private RespValue[] Elements => Payload as RespValue[] ?? [];

    /// <summary>Number of stored elements of an aggregate (a map of n pairs has 2n); 0 otherwise.</summary>
    public int Count => Elements.Length;

    /// <summary>The element at <paramref name="index"/> (for maps: keys at even, values at odd indexes).</summary>
    public RespValue this[int index] => Elements[index];

    /// <summary>The attribute map that preceded this value in the reply, if any.</summary>
    public RespValue? Attributes => _storage is Annotated a ? new RespValue(RespType.Attribute, 0, a.Attributes) : null;

    /// <summary>The 3-letter format of a verbatim string (e.g. "txt", "mkd"); null for other types.</summary>
    public string? VerbatimFormat
    {
        get
        {
            if (_type != RespType.VerbatimString) return null;
            Span<byte> f = [(byte)(_bits >> 16), (byte)(_bits >> 8), (byte)_bits];
            return Encoding.UTF8.GetString(f);
        }
    }

    /// <summary>The integer: Integer, Boolean (0/1), a Double holding an exact integer, or a string/big number holding one.</summary>
    public long AsInt64() =>
        RespConversions.TryInt64(_type, _bits, RespConversions.IsText(_type) ? Bytes : default, out long value) ? value : throw Cast("an integer");

    /// <summary>The double: Double, Integer, Boolean, or a string/big number holding a number (inf/-inf/nan accepted).</summary>
    public double AsDouble() =>
        RespConversions.TryDouble(_type, _bits, RespConversions.IsText(_type) ? Bytes : default, out double value) ? value : throw Cast("a double");

    /// <summary>The boolean: Boolean, or Integer 0/1.</summary>
    public bool AsBoolean() => RespConversions.TryBoolean(_type, _bits, out bool value) ? value : throw Cast("a boolean");

    /// <summary>
    /// Text of a scalar: string payloads decoded as UTF-8 (verbatim without its "fmt:" prefix), numbers in invariant
    /// form, booleans as "true"/"false"; null for Null and default. Aggregates throw.
    /// </summary>
    public string? AsString()
    {
        switch (_type)
        {
            case RespType.None:
            case RespType.Null:
                return null;
            case RespType.Integer:
                return _bits.ToString(CultureInfo.InvariantCulture);
            case RespType.Boolean:
                return _bits != 0 ? "true" : "false";
            case RespType.Double:
                return FormatDouble(BitConverter.Int64BitsToDouble(_bits));
            default:
                if (Bytes is { } bytes) return Encoding.UTF8.GetString(bytes);
                throw Cast("a string");
        }
    }

    /// <summary>A copy of the payload bytes of a string-like scalar (UTF-8 text for numbers); null for Null.</summary>
    public byte[]? AsBytes()
    {
        if (_type is RespType.None or RespType.Null) return null;
        if (Bytes is { } bytes) return (byte[])bytes.Clone();
        if (IsAggregate) throw Cast("bytes");
        return Encoding.UTF8.GetBytes(AsString()!);
    }

    /// <summary>The payload bytes of a string-like scalar without copying; empty for Null. Numbers and aggregates throw.</summary>
    public ReadOnlyMemory<byte> AsMemory()
    {
        if (_type is RespType.None or RespType.Null) return ReadOnlyMemory<byte>.Empty;
        return Bytes ?? throw Cast("bytes");
    }

    /// <summary>The elements of an aggregate (maps: alternating key, value); empty for non-aggregates.</summary>
    public ReadOnlySpan<RespValue> AsSpan() => Elements;

    /// <summary>The elements of an aggregate as a read-only list; empty for non-aggregates.</summary>
    public IReadOnlyList<RespValue> AsArray() => new ReadOnlyCollection<RespValue>(Elements);

    /// <summary>
    /// A map (or attribute, or an even-length array as RESP2 sends maps) as a dictionary keyed by the keys' text;
    /// a repeated key keeps its last value.
    /// </summary>
    public IReadOnlyDictionary<string, RespValue> AsMap()
    {
        RespValue[] elements = Elements;
        if (!(_type is RespType.Map or RespType.Attribute || (_type is RespType.Array or RespType.Set or RespType.Push && elements.Length % 2 == 0)))
            throw Cast("a map");
        var map = new Dictionary<string, RespValue>(elements.Length / 2, StringComparer.Ordinal);
        for (int i = 0; i < elements.Length; i += 2)
        {
            map[elements[i].AsString() ?? throw Cast("a map with non-null keys")] = elements[i + 1];
        }
        return map;
    }

    /// <summary>This value with <paramref name="attributes"/> (an Attribute or Map value) attached.</summary>
    public RespValue WithAttributes(RespValue attributes)
    {
        if (attributes._type is not (RespType.Attribute or RespType.Map)) throw new ArgumentException("Attributes must be a map.", nameof(attributes));
        return new RespValue(_type, _bits, new Annotated(Payload, attributes.Elements));
    }

    internal RespValue WithAttributeElements(RespValue[] attributes) => new(_type, _bits, new Annotated(Payload, attributes));

    /// <summary>Creates a bulk string from text (UTF-8); null gives <see cref="Null"/>.</summary>
    public static RespValue FromString(string? value) => value is null ? Null : new(RespType.BulkString, 0, Encoding.UTF8.GetBytes(value));

    /// <summary>Creates a bulk string from bytes (copied).</summary>
    public static RespValue FromBytes(ReadOnlySpan<byte> value) => new(RespType.BulkString, 0, value.ToArray());

    /// <summary>Creates a simple string.</summary>
    public static RespValue FromSimpleString(string value) => new(RespType.SimpleString, 0, Encoding.UTF8.GetBytes(value));

    /// <summary>Creates a simple error, or a bulk error when <paramref name="bulk"/>.</summary>
    public static RespValue FromError(string message, bool bulk = false) => new(bulk ? RespType.BulkError : RespType.SimpleError, 0, Encoding.UTF8.GetBytes(message));

    /// <summary>Creates an integer.</summary>
    public static RespValue FromInt64(long value) => new(RespType.Integer, value, null);

    /// <summary>Creates a double.</summary>
    public static RespValue FromDouble(double value) => new(RespType.Double, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>Creates a boolean.</summary>
    public static RespValue FromBoolean(bool value) => new(RespType.Boolean, value ? 1 : 0, null);

    /// <summary>Creates a big number from its decimal text.</summary>
    public static RespValue FromBigNumber(string digits) => new(RespType.BigNumber, 0, Encoding.UTF8.GetBytes(digits));

    /// <summary>Creates a verbatim string with a 3-letter ASCII format such as "txt".</summary>
    public static RespValue FromVerbatim(string format, string text)
    {
        if (format.Length != 3 || !Ascii.IsValid(format)) throw new ArgumentException("The format must be 3 ASCII characters.", nameof(format));
        return new(RespType.VerbatimString, (format[0] << 16) | (format[1] << 8) | format[2], Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Creates an array (elements copied).</summary>
    public static RespValue FromArray(params ReadOnlySpan<RespValue> elements) => new(RespType.Array, 0, elements.ToArray());

    /// <summary>Creates a set (elements copied).</summary>
    public static RespValue FromSet(params ReadOnlySpan<RespValue> elements) => new(RespType.Set, 0, elements.ToArray());

    /// <summary>Creates a push message (elements copied).</summary>
    public static RespValue FromPush(params ReadOnlySpan<RespValue> elements) => new(RespType.Push, 0, elements.ToArray());

    /// <summary>Creates a map from alternating keys and values (copied).</summary>
    public static RespValue FromMap(params ReadOnlySpan<RespValue> keysAndValues)
    {
        if (keysAndValues.Length % 2 != 0) throw new ArgumentException("A map needs an even number of elements.", nameof(keysAndValues));
        return new(RespType.Map, 0, keysAndValues.ToArray());
    }

    /// <summary>Creates an attribute map from alternating keys and values (copied).</summary>
    public static RespValue FromAttribute(params ReadOnlySpan<RespValue> keysAndValues)
    {
        if (keysAndValues.Length % 2 != 0) throw new ArgumentException("An attribute map needs an even number of elements.", nameof(keysAndValues));
        return new(RespType.Attribute, 0, keysAndValues.ToArray());
    }

    /// <summary>See <see cref="AsString"/>.</summary>
    public static explicit operator string?(RespValue value) => value.AsString();

    /// <summary>See <see cref="AsInt64"/>.</summary>
    public static explicit operator long(RespValue value) => value.AsInt64();

    /// <summary>See <see cref="AsDouble"/>.</summary>
    public static explicit operator double(RespValue value) => value.AsDouble();

    /// <summary>See <see cref="AsBoolean"/>.</summary>
    public static explicit operator bool(RespValue value) => value.AsBoolean();

    /// <summary>See <see cref="AsBytes"/>.</summary>
    public static explicit operator byte[]?(RespValue value) => value.AsBytes();

    /// <summary>Structural equality: type, payload, elements and attributes (doubles compare as <see cref="double.Equals(double)"/> does: NaN equals NaN, and 0.0 equals -0.0).</summary>
    public bool Equals(RespValue other)
    {
        if (_type != other._type) return false;
        if (_type == RespType.Double)
        {
            double a = BitConverter.Int64BitsToDouble(_bits), b = BitConverter.Int64BitsToDouble(other._bits);
            if (!a.Equals(b)) return false;
        }
        else if (_bits != other._bits) return false;

        object? p = Payload, q = other.Payload;
        if (p is byte[] pb) { if (q is not byte[] qb || !pb.AsSpan().SequenceEqual(qb)) return false; }
        else if (p is RespValue[] pe) { if (q is not RespValue[] qe || !pe.AsSpan().SequenceEqual(qe)) return false; }
        else if (q is not null) return false;

        RespValue[]? pa = (_storage as Annotated)?.Attributes, qa = (other._storage as Annotated)?.Attributes;
        if (pa is null || qa is null) return pa is null && qa is null;
        return pa.AsSpan().SequenceEqual(qa);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RespValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_type);
        // double.GetHashCode treats 0.0/-0.0 and all NaNs alike, matching Equals.
        if (_type == RespType.Double) hash.Add(BitConverter.Int64BitsToDouble(_bits));
        else hash.Add(_bits);
        if (Bytes is { } bytes) hash.AddBytes(bytes);
        hash.Add(Count);
        return hash.ToHashCode();
    }

    /// <summary>Structural equality.</summary>
    public static bool operator ==(RespValue left, RespValue right) => left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(RespValue left, RespValue right) => !left.Equals(right);

    /// <summary>A debug rendering, e.g. <c>"OK"</c>, <c>(integer) 1</c>, <c>[a, b]</c>, <c>{k: v}</c>, <c>(error) ERR x</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Append(sb, 0);
        return sb.ToString();
    }

    private void Append(StringBuilder sb, int depth)
    {
        if (_storage is Annotated a)
        {
            sb.Append("|attrs ");
            new RespValue(RespType.Map, 0, a.Attributes).Append(sb, depth + 1);
            sb.Append("| ");
        }
        switch (_type)
        {
            case RespType.None: sb.Append("(none)"); return;
            case RespType.Null: sb.Append("(nil)"); return;
            case RespType.Integer: sb.Append("(integer) ").Append(_bits.ToString(CultureInfo.InvariantCulture)); return;
            case RespType.Boolean: sb.Append(_bits != 0 ? "(true)" : "(false)"); return;
            case RespType.Double: sb.Append("(double) ").Append(FormatDouble(BitConverter.Int64BitsToDouble(_bits))); return;
            case RespType.BigNumber: sb.Append("(big number) ").Append(AsString()); return;
            case RespType.SimpleError:
            case RespType.BulkError: sb.Append("(error) ").Append(AsString()); return;
            case RespType.VerbatimString: sb.Append("(verbatim ").Append(VerbatimFormat).Append(") \"").Append(AsString()).Append('"'); return;
            case RespType.SimpleString:
            case RespType.BulkString: sb.Append('"').Append(AsString()).Append('"'); return;
        }
        if (depth > 32) { sb.Append("..."); return; }
        RespValue[] e = Elements;
        bool map = _type is RespType.Map or RespType.Attribute;
        sb.Append(_type switch { RespType.Set => "~{", RespType.Push => ">[", _ when map => "{", _ => "[" });
        for (int i = 0; i < e.Length; i++)
        {
            if (i > 0) sb.Append(map && i % 2 == 1 ? ": " : ", ");
            e[i].Append(sb, depth + 1);
        }
        sb.Append(_type is RespType.Set || map ? "}" : "]");
    }

    private static string FormatDouble(double d)
        => double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : double.IsNaN(d) ? "nan" : d.ToString("R", CultureInfo.InvariantCulture);

    private InvalidCastException Cast(string target) => new($"Cannot convert a RESP {_type} to {target}.");
}
