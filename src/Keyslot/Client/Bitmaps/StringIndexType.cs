namespace Keyslot;

/// <summary>What the start and end of BITCOUNT / BITPOS count in.</summary>
public enum StringIndexType
{
    /// <summary>Bytes (BYTE, the default).</summary>
    Byte,
    /// <summary>Bits (BIT, Redis 7.0+).</summary>
    Bit,
}
