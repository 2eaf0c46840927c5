namespace Keyslot;

/// <summary>The operation of BITOP.</summary>
public enum Bitwise
{
    /// <summary>AND of all the source keys.</summary>
    And,
    /// <summary>OR of all the source keys.</summary>
    Or,
    /// <summary>XOR of all the source keys.</summary>
    Xor,
    /// <summary>NOT of exactly one source key.</summary>
    Not,
}
