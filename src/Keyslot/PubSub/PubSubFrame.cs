using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.PubSub;

/// <summary>What one frame on a subscriber connection says.</summary>
internal enum FrameKind : byte
{
    /// <summary>Something else (another push, a reply nobody sent for): ignored.</summary>
    Other,
    Message,
    PatternMessage,
    ShardMessage,
    Subscribed,
    PatternSubscribed,
    ShardSubscribed,
    Unsubscribed,
    PatternUnsubscribed,
    ShardUnsubscribed,
    /// <summary>An error reply: the answer to the oldest (un)subscribe command still unanswered.</summary>
    Error,
    /// <summary>The answer to the hub's PING (<c>+PONG</c> in RESP3, <c>["pong", ""]</c> on a RESP2 subscriber connection).</summary>
    Pong,
}

/// <summary>
/// A frame of a subscriber connection, read once: a RESP3 push or a RESP2 array (the same elements either way), or an
/// error reply. Messages keep their payload as bytes; channel names are decoded as UTF-8.
/// </summary>
internal readonly struct PubSubFrame
{
    private PubSubFrame(FrameKind kind, string? channel, string? pattern, byte[]? payload, ServerError? error)
    {
        Kind = kind;
        Channel = channel;
        Pattern = pattern;
        Payload = payload;
        Error = error;
    }

    public FrameKind Kind { get; }

    /// <summary>The channel, or the pattern of a pattern (un)subscribe confirmation.</summary>
    public string? Channel { get; }

    /// <summary>The pattern that matched, for a pattern message.</summary>
    public string? Pattern { get; }

    public byte[]? Payload { get; }

    public ServerError? Error { get; }

    public static PubSubFrame Read(ref RespReader reader)
    {
        if (reader.IsError) return new PubSubFrame(FrameKind.Error, null, null, null, ServerError.Read(ref reader));
        if (reader.Type == RespType.SimpleString) return reader.ScalarEquals("PONG"u8) ? new PubSubFrame(FrameKind.Pong, null, null, null, null) : default;
        if (reader.Type is not (RespType.Push or RespType.Array) || reader.Length < 2) return default;
        long length = reader.Length;
        reader.Read();
        if (reader.ScalarEquals("pong"u8)) return new PubSubFrame(FrameKind.Pong, null, null, null, null);
        FrameKind kind = KindOf(ref reader);
        if (kind == FrameKind.Other || length < 3) return default;
        reader.Read();
        if (kind == FrameKind.PatternMessage)
        {
            if (length < 4) return default;
            string? pattern = reader.GetString();
            reader.Read();
            string? channel = reader.GetString();
            reader.Read();
            return new PubSubFrame(kind, channel, pattern, reader.GetBytes() ?? [], null);
        }
        string? name = reader.GetString();
        if (kind is FrameKind.Message or FrameKind.ShardMessage)
        {
            reader.Read();
            return new PubSubFrame(kind, name, null, reader.GetBytes() ?? [], null);
        }
        return new PubSubFrame(kind, name, null, null, null); // a confirmation; its count is not needed
    }

    private static FrameKind KindOf(ref RespReader reader)
    {
        if (reader.ScalarEquals("message"u8)) return FrameKind.Message;
        if (reader.ScalarEquals("pmessage"u8)) return FrameKind.PatternMessage;
        if (reader.ScalarEquals("smessage"u8)) return FrameKind.ShardMessage;
        if (reader.ScalarEquals("subscribe"u8)) return FrameKind.Subscribed;
        if (reader.ScalarEquals("psubscribe"u8)) return FrameKind.PatternSubscribed;
        if (reader.ScalarEquals("ssubscribe"u8)) return FrameKind.ShardSubscribed;
        if (reader.ScalarEquals("unsubscribe"u8)) return FrameKind.Unsubscribed;
        if (reader.ScalarEquals("punsubscribe"u8)) return FrameKind.PatternUnsubscribed;
        if (reader.ScalarEquals("sunsubscribe"u8)) return FrameKind.ShardUnsubscribed;
        return FrameKind.Other;
    }

    /// <summary>The kind of server-side subscription a confirmation or message belongs to (every-primary ones are PSUBSCRIBEs too).</summary>
    public static SubscriptionKind SubscriptionOf(FrameKind kind) => kind switch
    {
        FrameKind.Message or FrameKind.Subscribed or FrameKind.Unsubscribed => SubscriptionKind.Channel,
        FrameKind.ShardMessage or FrameKind.ShardSubscribed or FrameKind.ShardUnsubscribed => SubscriptionKind.ShardChannel,
        _ => SubscriptionKind.Pattern,
    };
}
