namespace Keyslot.Testing;

/// <summary>How to build a <see cref="LocalRedisCluster"/>.</summary>
public sealed class LocalRedisClusterOptions
{
    /// <summary>Clusters of more nodes than this get the large-cluster tuning (see <see cref="NodeTimeoutMilliseconds"/>).</summary>
    internal const int SmallClusterNodes = 24;

    /// <summary>The <c>hz</c> of large clusters' nodes (Redis's default is 10).</summary>
    internal const int LargeClusterHz = 5;

    /// <summary>Node timeout per node for large clusters: 180 nodes get 14.4 s.</summary>
    private const int LargeClusterTimeoutPerNode = 80;

    private int? _nodeTimeoutMilliseconds;

    /// <summary>Number of primaries; the 16,384 slots are split evenly between them. Default 3.</summary>
    public int Primaries { get; set; } = 3;

    /// <summary>Replicas attached to each primary. Default 1.</summary>
    public int ReplicasPerPrimary { get; set; } = 1;

    /// <summary>
    /// <c>cluster-node-timeout</c> in milliseconds; small so failover tests are fast. Default 2000 for clusters of up
    /// to 24 nodes. Larger clusters default to 80 ms per node (14,400 ms for 90 primaries × 1 replica) and run their
    /// nodes with <c>hz 5</c>: every node pings every other at least once per half node timeout, so with 180 nodes a
    /// 2 s timeout would be some 32,000 cluster-bus pings a second on the machine, and nodes on a busy 2-core machine
    /// would mark each other as failing. Failover then takes about one node timeout. Set it (and <c>hz</c> through
    /// <see cref="ExtraConfig"/>) to override.
    /// </summary>
    public int NodeTimeoutMilliseconds
    {
        get => _nodeTimeoutMilliseconds ?? (TotalNodes > SmallClusterNodes ? Math.Max(2000, TotalNodes * LargeClusterTimeoutPerNode) : 2000);
        set => _nodeTimeoutMilliseconds = value;
    }

    /// <summary>
    /// Lowest port the cluster may bind on 127.0.0.1, with <see cref="LastPort"/>; set both or neither. With a range,
    /// each node takes two ports from it (its client port and its cluster bus port, set with <c>cluster-port</c>), so
    /// the range must hold at least two ports per node, and nodes added later take theirs from it too. Default null:
    /// a random client port in 12000-21999 with the cluster bus on client port + 10000.
    /// </summary>
    public int? FirstPort { get; set; }

    /// <summary>Highest port (inclusive) the cluster may bind; see <see cref="FirstPort"/>.</summary>
    public int? LastPort { get; set; }

    /// <summary>
    /// TLS-only nodes: <c>port 0</c>, <c>tls-port</c>, <c>tls-cluster yes</c>, <c>tls-replication yes</c>,
    /// <c>tls-auth-clients no</c>, with a freshly generated CA and server certificate (see <see cref="LocalRedisCluster.Tls"/>).
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>ACL users created on every node.</summary>
    public IList<LocalRedisUser> Users { get; } = new List<LocalRedisUser>();

    /// <summary>
    /// Password of the <c>default</c> user (<c>requirepass</c>). When set, replicas get <c>masterauth</c> and the
    /// cluster's own connections authenticate. Null (the default) leaves <c>default</c> without a password.
    /// </summary>
    public string? DefaultUserPassword { get; set; }

    /// <summary>Extra redis.conf directives (name → value) appended to every node's configuration.</summary>
    public IDictionary<string, string> ExtraConfig { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Path of the redis-server executable. Default: <c>redis-server</c> found on PATH.</summary>
    public string? RedisServerPath { get; set; }

    /// <summary>
    /// Directory under which each cluster gets its own run directory. Default: <c>keyslot-clusters</c> in the
    /// system temp directory (e.g. <c>/tmp/keyslot-clusters</c>).
    /// </summary>
    public string? RootDirectory { get; set; }

    /// <summary>Upper bound for each internal wait (start, convergence, replica sync, a slot move). Default 30 s.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound for one command sent by the cluster's own client. Default 10 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        if (Primaries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Primaries), Primaries, "A cluster needs at least one primary.");
        }

        if (ReplicasPerPrimary < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ReplicasPerPrimary), ReplicasPerPrimary, "Must be zero or more.");
        }

        if (NodeTimeoutMilliseconds < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(NodeTimeoutMilliseconds), NodeTimeoutMilliseconds, "Must be at least 100 ms.");
        }

        if (OperationTimeout <= TimeSpan.Zero || CommandTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OperationTimeout), "Timeouts must be positive.");
        }

        ValidatePortRange();
    }

    /// <summary>Primaries and their replicas.</summary>
    internal int TotalNodes => Primaries * (1 + ReplicasPerPrimary);

    private void ValidatePortRange()
    {
        if (FirstPort is null && LastPort is null)
        {
            return;
        }

        if (FirstPort is null || LastPort is null)
        {
            throw new ArgumentException(
                $"Set both FirstPort and LastPort or neither (FirstPort is {FirstPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}, " +
                $"LastPort is {LastPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}).",
                FirstPort is null ? nameof(FirstPort) : nameof(LastPort));
        }

        if (FirstPort < 1024 || LastPort > 65535 || FirstPort > LastPort)
        {
            throw new ArgumentOutOfRangeException(
                nameof(FirstPort),
                $"The port range {FirstPort}-{LastPort} is not valid: it must lie within 1024-65535 and FirstPort must not exceed LastPort.");
        }

        var size = LastPort.Value - FirstPort.Value + 1;
        if (size < 2 * TotalNodes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(LastPort),
                $"The port range {FirstPort}-{LastPort} holds {size} ports, but {Primaries} primaries × (1 + {ReplicasPerPrimary} replicas) = {TotalNodes} nodes " +
                $"need {2 * TotalNodes}: two per node (client port and cluster bus port).");
        }
    }
}
