using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// Takes a connection's out-of-band frames: RESP3 pushes (attributes before them included) and, on a RESP2 subscriber
/// connection, the pub/sub messages that stand in for pushes there. Runs on the connection's read loop, so it must be
/// quick, must not block and must never run user code: it copies what it needs and hands it on. An exception it
/// throws is logged and the connection goes on.
/// </summary>
internal interface IPushHandler
{
    /// <summary>One push; <paramref name="reader"/> is positioned on the push (or RESP2 array) itself.</summary>
    void OnPush(NodeConnection connection, ref RespReader reader);
}
