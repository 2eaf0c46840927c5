using System.Collections.ObjectModel;

namespace Keyslot;

/// <summary>Where a node's interactive connection stands, as the client last saw it.</summary>
public enum NodeConnectionState
{
    /// <summary>No connection was needed yet (a replica under the primary read policy, or a node not used so far).</summary>
    NotConnected,
    /// <summary>A connect attempt is under way and none has failed since the last connection.</summary>
    Connecting,
    /// <summary>A healthy connection is open.</summary>
    Connected,
    /// <summary>The connection was lost or could not be made; <see cref="NodeHealth.LastError"/> says why. Reconnects go on with backoff.</summary>
    Disconnected,
}

/// <summary>One node of the slot map and the client's connection to it.</summary>
public sealed class NodeHealth
{
    internal NodeHealth(NodeEndpoint endpoint, bool isPrimary, bool flaggedFailed, int slots, NodeConnectionState state, Exception? lastError)
    {
        Endpoint = endpoint;
        IsPrimary = isPrimary;
        FlaggedFailed = flaggedFailed;
        Slots = slots;
        State = state;
        LastError = lastError;
    }

    /// <summary>The node.</summary>
    public NodeEndpoint Endpoint { get; }

    /// <summary>True for a primary, false for a replica.</summary>
    public bool IsPrimary { get; }

    /// <summary>True when the cluster's own map flags the node as failed.</summary>
    public bool FlaggedFailed { get; }

    /// <summary>How many hash slots the node owns (0 for a replica).</summary>
    public int Slots { get; }

    /// <summary>The client's interactive connection to the node.</summary>
    public NodeConnectionState State { get; }

    /// <summary>The last connection error seen for the node (kept after a reconnect, for diagnosis); null when none.</summary>
    public Exception? LastError { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Endpoint} {(IsPrimary ? "primary" : "replica")} {State}" + (LastError is null ? "" : $" ({LastError.Message})");
}

/// <summary>
/// A snapshot of the client's view of the cluster (<see cref="IClusterClient.GetHealth"/>): the slot map's nodes and
/// the client's connections to them. Reads only what the client holds; sends nothing.
/// </summary>
public sealed class ClusterHealth
{
    internal ClusterHealth(int assignedSlots, IReadOnlyList<NodeHealth> nodes, Exception? lastError)
    {
        AssignedSlots = assignedSlots;
        Nodes = new ReadOnlyCollection<NodeHealth>([.. nodes]);
        LastError = lastError;
    }

    /// <summary>True when the client has a slot map (at least one slot has an owner).</summary>
    public bool HasSlotMap => AssignedSlots > 0;

    /// <summary>How many of the 16,384 slots have a known primary.</summary>
    public int AssignedSlots { get; }

    /// <summary>True when every slot has a known primary.</summary>
    public bool AllSlotsHavePrimary => AssignedSlots == Slots.HashSlot.Count;

    /// <summary>True when every slot has a known primary and no primary is <see cref="NodeConnectionState.Disconnected"/>.</summary>
    public bool IsHealthy
    {
        get
        {
            if (!AllSlotsHavePrimary) return false;
            foreach (NodeHealth node in Nodes)
            {
                if (node.IsPrimary && node.Slots > 0 && node.State == NodeConnectionState.Disconnected) return false;
            }
            return true;
        }
    }

    /// <summary>The nodes of the slot map, primaries first in shard order, each followed by its replicas.</summary>
    public IReadOnlyList<NodeHealth> Nodes { get; }

    /// <summary>
    /// The last failure to read the slot map, or when there is no map the last connection error of any node; null
    /// when none is known.
    /// </summary>
    public Exception? LastError { get; }
}
