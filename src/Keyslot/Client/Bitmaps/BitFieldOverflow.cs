namespace Keyslot;

/// <summary>BITFIELD's OVERFLOW behaviour for the SET and INCRBY operations that follow it.</summary>
public enum BitFieldOverflow
{
    /// <summary>WRAP (the default): wrap around, as C integers do.</summary>
    Wrap,
    /// <summary>SAT: saturate at the type's minimum or maximum.</summary>
    Saturate,
    /// <summary>FAIL: do nothing, and answer null for that operation.</summary>
    Fail,
}
