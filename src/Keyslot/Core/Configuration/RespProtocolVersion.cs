namespace Keyslot;

/// <summary>The RESP protocol version negotiated with each node (via <c>HELLO</c>).</summary>
/// <remarks>The numeric values match the protocol numbers, so <c>(int)version</c> is what <c>HELLO</c> takes.</remarks>
public enum RespProtocolVersion
{
    /// <summary>RESP2: the protocol every Redis version speaks.</summary>
    Resp2 = 2,

    /// <summary>RESP3 (Redis 6+): typed replies and out-of-band push messages.</summary>
    Resp3 = 3,
}
