using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>Takes the reply of a command nobody awaits, such as the <c>ASKING</c> written just before a command sent after an ASK redirect.</summary>
internal sealed class DiscardedReply : PendingReply
{
    public static readonly DiscardedReply Instance = new() { Deadline = long.MaxValue };

    public override string CommandName => "ASKING";

    public override void OnReply(ref RespReader reader) { }

    public override void OnTimeout(NodeConnection connection, int inFlight) { }

    public override void OnConnectionLost(NodeConnection connection, Exception cause) { }

    public override void Fail(Exception error) { }
}
