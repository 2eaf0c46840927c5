namespace Keyslot;

/// <summary>The kind of a <see cref="BitFieldOperation"/>.</summary>
public enum BitFieldOperationKind
{
    /// <summary>None (the default value; refused).</summary>
    None,
    /// <summary>GET: reads a field.</summary>
    Get,
    /// <summary>SET: writes a field, answering its old value.</summary>
    Set,
    /// <summary>INCRBY: adds to a field, answering its new value.</summary>
    Increment,
    /// <summary>OVERFLOW: sets the overflow behaviour of the SET and INCRBY operations after it (no answer of its own).</summary>
    Overflow,
}
