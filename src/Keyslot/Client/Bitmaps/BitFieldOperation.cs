namespace Keyslot;

/// <summary>
/// One operation of BITFIELD: made with <see cref="Get"/>, <see cref="Set"/>, <see cref="Increment"/> or
/// <see cref="Overflow"/>, which check it. A field's encoding is <c>i</c> (signed, 1 to 64 bits) or <c>u</c>
/// (unsigned, 1 to 63 bits) and its width, e.g. <c>"u8"</c> or <c>"i16"</c>; its offset is in bits, or in units of
/// the field's width when <c>inWidths</c> is true (BITFIELD's <c>#n</c> form).
/// </summary>
public readonly record struct BitFieldOperation
{
    private BitFieldOperation(BitFieldOperationKind kind, string? encoding, long offset, bool inWidths, long value, BitFieldOverflow overflow)
    {
        Kind = kind;
        Encoding = encoding;
        Offset = offset;
        OffsetInWidths = inWidths;
        Value = value;
        OverflowBehavior = overflow;
    }

    /// <summary>GET, SET, INCRBY or OVERFLOW.</summary>
    public BitFieldOperationKind Kind { get; }

    /// <summary>The field's encoding (e.g. <c>"u8"</c>); null for OVERFLOW.</summary>
    public string? Encoding { get; }

    /// <summary>The field's offset, in bits or (<see cref="OffsetInWidths"/>) in field widths.</summary>
    public long Offset { get; }

    /// <summary>True when <see cref="Offset"/> counts field widths (<c>#n</c>).</summary>
    public bool OffsetInWidths { get; }

    /// <summary>The value written (SET) or added (INCRBY).</summary>
    public long Value { get; }

    /// <summary>The behaviour set by an OVERFLOW operation.</summary>
    public BitFieldOverflow OverflowBehavior { get; }

    /// <summary>GET encoding offset: answers the field's value.</summary>
    public static BitFieldOperation Get(string encoding, long offset, bool inWidths = false) =>
        new(BitFieldOperationKind.Get, CheckEncoding(encoding), CheckOffset(offset), inWidths, 0, default);

    /// <summary>SET encoding offset value: answers the field's old value.</summary>
    public static BitFieldOperation Set(string encoding, long offset, long value, bool inWidths = false) =>
        new(BitFieldOperationKind.Set, CheckEncoding(encoding), CheckOffset(offset), inWidths, value, default);

    /// <summary>INCRBY encoding offset increment: answers the field's new value (null when an OVERFLOW FAIL stopped it).</summary>
    public static BitFieldOperation Increment(string encoding, long offset, long increment, bool inWidths = false) =>
        new(BitFieldOperationKind.Increment, CheckEncoding(encoding), CheckOffset(offset), inWidths, increment, default);

    /// <summary>OVERFLOW WRAP|SAT|FAIL for the SET and INCRBY operations after it.</summary>
    public static BitFieldOperation Overflow(BitFieldOverflow behavior)
    {
        if (behavior is not (BitFieldOverflow.Wrap or BitFieldOverflow.Saturate or BitFieldOverflow.Fail))
        {
            throw new ArgumentOutOfRangeException(nameof(behavior), behavior, "WRAP, SAT or FAIL.");
        }
        return new(BitFieldOperationKind.Overflow, null, 0, false, 0, behavior);
    }

    private static string CheckEncoding(string encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        bool signed = encoding.Length > 1 && (encoding[0] is 'i' or 'I');
        bool unsigned = encoding.Length > 1 && (encoding[0] is 'u' or 'U');
        if ((signed || unsigned) && int.TryParse(encoding.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int bits)
            && bits >= 1 && bits <= (signed ? 64 : 63))
        {
            return encoding;
        }
        throw new ArgumentException($"'{encoding}' is not a BITFIELD encoding: i1…i64 or u1…u63.", nameof(encoding));
    }

    private static long CheckOffset(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return offset;
    }
}
