namespace Keyslot.Protocol;

/// <summary>
/// The conversion rules of a RESP scalar, written once for both places that hold one: the reader's current element
/// and a materialised <see cref="RespValue"/>. A scalar is its type, its number (integers and booleans; a double's
/// bits) and, for the text types, its payload.
/// </summary>
internal static class RespConversions
{
    /// <summary>True for the types whose payload is text that may hold a number.</summary>
    public static bool IsText(RespType type) => type is RespType.SimpleString or RespType.BulkString or RespType.BigNumber or RespType.VerbatimString;

    /// <summary>Integer, Boolean (0/1), a Double holding an exact integer, or text holding one.</summary>
    public static bool TryInt64(RespType type, long number, ReadOnlySpan<byte> text, out long value)
    {
        switch (type)
        {
            case RespType.Integer:
            case RespType.Boolean:
                value = number;
                return true;
            case RespType.Double:
                double d = BitConverter.Int64BitsToDouble(number);
                if (d == Math.Floor(d) && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18)
                {
                    value = (long)d;
                    return true;
                }
                break;
            default:
                if (IsText(type) && RespSyntax.TryParseInteger(text, out value, out _)) return true;
                break;
        }
        value = 0;
        return false;
    }

    /// <summary>Double (inf/-inf/nan included), Integer, Boolean, or text holding a number.</summary>
    public static bool TryDouble(RespType type, long number, ReadOnlySpan<byte> text, out double value)
    {
        switch (type)
        {
            case RespType.Double:
                value = BitConverter.Int64BitsToDouble(number);
                return true;
            case RespType.Integer:
            case RespType.Boolean:
                value = number;
                return true;
            default:
                if (IsText(type) && RespSyntax.TryParseDouble(text, out value)) return true;
                break;
        }
        value = 0;
        return false;
    }

    /// <summary>Boolean, or Integer 0/1.</summary>
    public static bool TryBoolean(RespType type, long number, out bool value)
    {
        value = number != 0;
        return type == RespType.Boolean || (type == RespType.Integer && number is 0 or 1);
    }
}
