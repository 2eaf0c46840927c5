using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// What a transaction needs from the router. A transaction is routed as a whole (its commands share one slot), so it
/// follows redirects itself with these, by the same rules and limits as a single command.
/// </summary>
internal sealed partial class Router
{
    public int MaxRedirects => _maxRedirects;

    public bool IsDisposed => _disposed;

    /// <summary>The primary that owns <paramref name="slot"/> (any primary for <see cref="KeySlot.None"/>), or null when none is known.</summary>
    public NodeConnector? PrimaryConnectorFor(int slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
        return _routes.Current.PrimaryFor(slot);
    }

    /// <summary>A MOVED seen by a transaction: the slot's owner is fixed at once and one coalesced refresh is asked for.</summary>
    public void FollowMoved(Redirect redirect, NodeEndpoint answeredBy, string command) => ApplyMoved(redirect.Slot, TargetOf(redirect, answeredBy, command));

    /// <summary>The node an ASK points to.</summary>
    public NodeConnector AskTargetOf(Redirect redirect, NodeEndpoint answeredBy, string command) => GetConnector(TargetOf(redirect, answeredBy, command));

    public void RequestRefresh(string reason) => Refresher.Request(reason);

    public Task RefreshAsync(string reason) => Refresher.RequestAsync(reason);
}
