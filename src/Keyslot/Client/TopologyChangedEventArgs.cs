namespace Keyslot;

/// <summary>The slot map the client routes by has changed (a refresh found a new map, or a MOVED moved a slot).</summary>
public sealed class TopologyChangedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    public TopologyChangedEventArgs(ClusterTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        Topology = topology;
    }

    /// <summary>The map in effect when the handler runs (changes close together are reported once, with the latest).</summary>
    public ClusterTopology Topology { get; }
}
