namespace Keyslot;

/// <summary>The type of a RESP2/RESP3 element, named after the RESP3 specification.</summary>
public enum RespType : byte
{
    /// <summary>No element: the reader is before the first or after the last element, or a default value.</summary>
    None = 0,
    /// <summary><c>+</c> simple string.</summary>
    SimpleString,
    /// <summary><c>-</c> simple error.</summary>
    SimpleError,
    /// <summary><c>:</c> signed 64-bit integer.</summary>
    Integer,
    /// <summary><c>$</c> bulk string (also streamed <c>$?</c>).</summary>
    BulkString,
    /// <summary><c>*</c> array.</summary>
    Array,
    /// <summary><c>_</c> null, and the RESP2 null bulk string <c>$-1</c> and null array <c>*-1</c>.</summary>
    Null,
    /// <summary><c>#</c> boolean.</summary>
    Boolean,
    /// <summary><c>,</c> double, including <c>inf</c>, <c>-inf</c> and <c>nan</c>.</summary>
    Double,
    /// <summary><c>(</c> big number (payload is the decimal text).</summary>
    BigNumber,
    /// <summary><c>!</c> bulk error.</summary>
    BulkError,
    /// <summary><c>=</c> verbatim string (payload excludes the three-letter format and the colon).</summary>
    VerbatimString,
    /// <summary><c>%</c> map.</summary>
    Map,
    /// <summary><c>~</c> set.</summary>
    Set,
    /// <summary><c>|</c> attribute map (out-of-band metadata preceding a reply).</summary>
    Attribute,
    /// <summary><c>&gt;</c> push (out-of-band message such as pub/sub).</summary>
    Push,
}
