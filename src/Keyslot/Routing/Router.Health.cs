using Keyslot.Connections;

namespace Keyslot.Routing;

/// <summary>What the client's connection events and health snapshot read from the router.</summary>
internal sealed partial class Router
{
    /// <summary>The interactive connections' states and last errors, per node.</summary>
    public NodeStateTracker NodeStates { get; } = new();

    /// <summary>The interactive connector of <paramref name="endpoint"/> if the client holds one (none is made).</summary>
    public NodeConnector? FindConnector(NodeEndpoint endpoint) => _nodes.Find(endpoint);
}
