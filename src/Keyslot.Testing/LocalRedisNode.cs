using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>One redis-server process of a <see cref="LocalRedisCluster"/>.</summary>
public sealed class LocalRedisNode
{
    internal LocalRedisNode(NodeProcess process, NodeClient client, string nodeId)
    {
        Process = process;
        Client = client;
        NodeId = nodeId;
    }

    /// <summary>The address the node listens on: always <c>127.0.0.1</c>.</summary>
    public string Host => NodeProcess.Host;

    /// <summary>The client port (the TLS port for TLS clusters); the cluster bus is <c>Port + 10000</c> unless the cluster has a port range.</summary>
    public int Port => Process.Port;

    /// <summary>The cluster bus port (<c>cluster-port</c>): <c>Port + 10000</c>, or a second port from the cluster's port range.</summary>
    public int BusPort => Process.BusPort;

    /// <summary><c>127.0.0.1:port</c>, as clients and <c>CLUSTER NODES</c> spell it.</summary>
    public string Endpoint => $"{Host}:{Port}";

    /// <summary>The node's 40-character cluster node id.</summary>
    public string NodeId { get; }

    /// <summary>The operating-system process id of redis-server.</summary>
    public int ProcessId => Process.ProcessId;

    /// <summary>The node's own directory (redis.conf, nodes.conf, log, pid file).</summary>
    public string DataDirectory => Process.Directory;

    /// <summary>Path of the node's log file.</summary>
    public string LogPath => Process.LogPath;

    /// <summary>Path of the node's redis.conf.</summary>
    public string ConfigPath => Process.ConfigPath;

    /// <summary>True while the process runs (a frozen node is alive).</summary>
    public bool IsAlive => Process.IsAlive;

    /// <summary>True between <see cref="LocalRedisCluster.Freeze"/> and <see cref="LocalRedisCluster.Thaw"/>.</summary>
    public bool IsFrozen => Process.IsFrozen;

    internal NodeProcess Process { get; }

    internal NodeClient Client { get; }

    /// <summary>Alive and not frozen: expected to answer commands.</summary>
    internal bool IsReachable => Process.IsAlive && !Process.IsFrozen;

    /// <summary>Returns <see cref="Endpoint"/>.</summary>
    /// <returns>The endpoint.</returns>
    public override string ToString() => Endpoint;
}
