namespace Keyslot.Connections;

/// <summary>
/// An array element that holds a <see cref="PendingReply"/>. Arrays are covariant, so storing a reference into an
/// array of a non-sealed class type costs a type check on every store; a struct element costs none. The writers and
/// the read loop each store one per command (a profile showed those checks as 2–3 % of the client's CPU).
/// </summary>
internal struct ReplySlot
{
    public PendingReply? Reply;
}
