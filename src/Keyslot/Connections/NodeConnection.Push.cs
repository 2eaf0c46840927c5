using System.Buffers;
using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// The out-of-band half of a connection: frames that answer no command (RESP3 pushes, attributes before them included;
/// on a RESP2 subscriber connection, pub/sub messages and (un)subscribe confirmations, which RESP2 sends as plain
/// arrays) go to the connection's <see cref="IPushHandler"/>. A SUBSCRIBE is answered by pushes when it succeeds but
/// by an ordinary error reply when it does not (MOVED, NOPERM), so subscriber connections write (un)subscribe
/// commands untracked (<see cref="SendUntracked"/>) and hand a reply no command waits for to the handler as well,
/// which keeps its commands in order to take either (<see cref="PubSub.PubSubHub"/>).
/// </summary>
internal sealed partial class NodeConnection
{
    /// <summary>Takes the pushes (see <see cref="IPushHandler"/>); without one they are counted and dropped.</summary>
    public IPushHandler? PushHandler { get; init; }

    private long _droppedPushes;

    /// <summary>Pushes that arrived with no handler to take them.</summary>
    public long DroppedPushes => Interlocked.Read(ref _droppedPushes);

    private int _dropLogged;

    /// <summary>
    /// A RESP3 push, also when attributes come before it (they belong to the push, not to a reply); on a RESP2
    /// subscriber connection, a pub/sub message or (un)subscribe confirmation, which RESP2 sends as a plain array.
    /// </summary>
    private bool IsPush(in ReadOnlySequence<byte> frame)
    {
        byte first = frame.FirstSpan[0];
        if (first == (byte)'>') return true;
        if (first == (byte)'|')
        {
            var reader = new RespReader(frame);
            reader.Read(); // skips the attributes, as for any reply
            return reader.Type == RespType.Push;
        }
        return first == (byte)'*' && Role == ConnectionRole.Subscriber && Session.ProtocolVersion == 2 && IsResp2PubSubMessage(frame);
    }

    private static bool IsResp2PubSubMessage(in ReadOnlySequence<byte> frame)
    {
        var reader = new RespReader(frame);
        if (!reader.Read() || reader.Type != RespType.Array || reader.Length < 3 || !reader.Read()) return false;
        return reader.ScalarEquals("message"u8) || reader.ScalarEquals("pmessage"u8) || reader.ScalarEquals("smessage"u8)
            || reader.ScalarEquals("subscribe"u8) || reader.ScalarEquals("psubscribe"u8) || reader.ScalarEquals("ssubscribe"u8)
            || reader.ScalarEquals("unsubscribe"u8) || reader.ScalarEquals("punsubscribe"u8) || reader.ScalarEquals("sunsubscribe"u8);
    }

    /// <summary>Hands a push to the handler on the read loop; a handler's exception is logged and the connection goes on.</summary>
    private void DeliverPush(in ReadOnlySequence<byte> frame)
    {
        if (PushHandler is not { } handler)
        {
            Interlocked.Increment(ref _droppedPushes);
            if (Interlocked.Exchange(ref _dropLogged, 1) == 0) Log.PushDropped(_logger, Endpoint, Role);
            return;
        }
        var reader = new RespReader(frame);
        reader.Read();
        try
        {
            handler.OnPush(this, ref reader);
        }
        catch (Exception ex)
        {
            Log.PushHandlerFailed(_logger, Endpoint, ex);
        }
    }
}
