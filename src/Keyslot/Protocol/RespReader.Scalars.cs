using System.Buffers;
using System.Globalization;
using System.Text;

namespace Keyslot.Protocol;

/// <summary>
/// The scalar half of <see cref="RespReader"/>: comparing and converting the current scalar (integer, double,
/// boolean, text, bytes). A conversion that does not apply to the current type throws <see cref="InvalidCastException"/>.
/// </summary>
internal ref partial struct RespReader
{
    /// <summary>True when the scalar payload equals <paramref name="expected"/> byte for byte (e.g. "OK"u8).</summary>
    public bool ScalarEquals(ReadOnlySpan<byte> expected)
    {
        if (_type is RespType.None or RespType.Null || IsAggregate) return false;
        if (_streamedString) return Assemble().AsSpan().SequenceEqual(expected);
        if (_single) return _span.SequenceEqual(expected);
        if (_length != expected.Length) return false;
        foreach (ReadOnlyMemory<byte> segment in _frame.Slice(_payloadOffset, _length))
        {
            if (!segment.Span.SequenceEqual(expected[..segment.Length])) return false;
            expected = expected[segment.Length..];
        }
        return true;
    }

    /// <summary>The integer: Integer, Boolean (0/1), a Double holding an exact integer, or a string/big number holding one.</summary>
    /// <exception cref="InvalidCastException">The current element is not an integer.</exception>
    public long GetInt64()
    {
        if (!RespConversions.IsText(_type)) return RespConversions.TryInt64(_type, _number, default, out long value) ? value : throw Cast("an integer");
        // Text is copied out only when it can be a number, and only then is the scratch space taken.
        if (_length > RespSyntax.MaxNumberLine) throw Cast("an integer");
        Span<byte> buffer = stackalloc byte[RespSyntax.MaxNumberLine];
        return RespConversions.TryInt64(_type, _number, SmallPayload(buffer), out long parsed) ? parsed : throw Cast("an integer");
    }

    /// <summary>The double: Double (inf/-inf/nan included), Integer, Boolean, or a numeric string/big number.</summary>
    /// <exception cref="InvalidCastException">The current element is not a number.</exception>
    public double GetDouble()
    {
        if (!RespConversions.IsText(_type)) return RespConversions.TryDouble(_type, _number, default, out double value) ? value : throw Cast("a double");
        if (_length > RespSyntax.MaxNumberLine) throw Cast("a double");
        Span<byte> buffer = stackalloc byte[RespSyntax.MaxNumberLine];
        return RespConversions.TryDouble(_type, _number, SmallPayload(buffer), out double parsed) ? parsed : throw Cast("a double");
    }

    /// <summary>The boolean: Boolean, or Integer 0/1.</summary>
    /// <exception cref="InvalidCastException">The current element is not a boolean.</exception>
    public readonly bool GetBoolean() => RespConversions.TryBoolean(_type, _number, out bool value) ? value : throw Cast("a boolean");

    /// <summary>
    /// The scalar as text: payload decoded as UTF-8 (verbatim without its prefix), numbers in invariant form,
    /// booleans "true"/"false"; null for Null. Aggregates throw <see cref="InvalidCastException"/>.
    /// </summary>
    public string? GetString()
    {
        switch (_type)
        {
            case RespType.Null:
                return null;
            case RespType.Integer:
                return _number.ToString(CultureInfo.InvariantCulture);
            case RespType.Boolean:
                return _number != 0 ? "true" : "false";
            case RespType.Double:
                double d = BitConverter.Int64BitsToDouble(_number);
                return double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : double.IsNaN(d) ? "nan" : d.ToString("R", CultureInfo.InvariantCulture);
            case RespType.None:
            case RespType.Array:
            case RespType.Map:
            case RespType.Set:
            case RespType.Push:
            case RespType.Attribute:
                throw Cast("a string");
        }
        if (_streamedString) return Encoding.UTF8.GetString(Assemble());
        if (_single) return _span.IsEmpty ? string.Empty : Encoding.UTF8.GetString(_span);
        return Encoding.UTF8.GetString(_frame.Slice(_payloadOffset, _length));
    }

    /// <summary>A copy of the scalar payload (UTF-8 text for numbers and booleans); null for Null.</summary>
    public byte[]? GetBytes()
    {
        switch (_type)
        {
            case RespType.Null:
                return null;
            case RespType.Integer:
            case RespType.Boolean:
            case RespType.Double:
                return Encoding.UTF8.GetBytes(GetString()!);
            case RespType.None:
            case RespType.Array:
            case RespType.Map:
            case RespType.Set:
            case RespType.Push:
            case RespType.Attribute:
                throw Cast("bytes");
        }
        return PayloadToArray();
    }
}
