namespace Keyslot.Testing;

/// <summary>How to build a <see cref="LocalRedisCluster"/>.</summary>
public sealed class LocalRedisClusterOptions
{
    /// <summary>Number of primaries; the 16,384 slots are split evenly between them. Default 3.</summary>
    public int Primaries { get; set; } = 3;

    /// <summary>Replicas attached to each primary. Default 1.</summary>
    public int ReplicasPerPrimary { get; set; } = 1;

    /// <summary><c>cluster-node-timeout</c> in milliseconds; small so failover tests are fast. Default 2000.</summary>
    public int NodeTimeoutMilliseconds { get; set; } = 2000;

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
    }
}
