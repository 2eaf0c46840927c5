namespace Keyslot.Protocol;

/// <summary>Which cluster redirect a reply carried.</summary>
internal enum RedirectKind : byte
{
    /// <summary><c>MOVED</c>: the slot now lives elsewhere; update the slot map.</summary>
    Moved,
    /// <summary><c>ASK</c>: the slot is migrating; retry this one command at the target after <c>ASKING</c>.</summary>
    Ask,
}

/// <summary>
/// A parsed <c>MOVED</c>/<c>ASK</c> redirect. <see cref="Host"/> is empty when the server said ":port" (meaning the
/// host of the node that replied) and "?" when the server does not know the endpoint.
/// </summary>
internal readonly record struct Redirect(RedirectKind Kind, int Slot, string Host, int Port)
{
    /// <summary>False when the target endpoint is unknown ("?" host or port 0) and the client must refresh topology instead.</summary>
    public bool HasUsableEndpoint => Port != 0 && Host != "?";
}
