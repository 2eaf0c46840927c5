using System.Globalization;
using System.Text;

namespace Keyslot.Testing.Internal;

/// <summary>Writes one node's redis.conf.</summary>
internal static class NodeConfigWriter
{
    /// <summary>
    /// Writes redis.conf into <paramref name="directory"/>; <paramref name="busPort"/> is null and
    /// <paramref name="cluster"/> false for a <see cref="LocalRedisServer"/> node.
    /// </summary>
    public static string Write(string directory, int port, int? busPort, LocalRedisClusterOptions options, LocalRedisTls? tls, bool cluster = true)
    {
        var conf = new StringBuilder();
        void Line(string name, string value) => conf.Append(name).Append(' ').Append(value).Append('\n');
        var p = port.ToString(CultureInfo.InvariantCulture);

        Line("bind", NodeProcess.Host);
        if (tls is null)
        {
            Line("port", p);
        }
        else
        {
            Line("port", "0");
            Line("tls-port", p);
            Line("tls-cert-file", Quote(tls.CertificatePath));
            Line("tls-key-file", Quote(tls.KeyPath));
            Line("tls-ca-cert-file", Quote(tls.CaCertificatePath));
            Line("tls-cluster", "yes");
            Line("tls-replication", "yes");
            Line("tls-auth-clients", "no");
        }

        Line("daemonize", "no");
        Line("dir", Quote(directory));
        Line("pidfile", Quote(Path.Combine(directory, "redis.pid")));
        Line("logfile", Quote(Path.Combine(directory, "redis.log")));
        Line("loglevel", "notice");
        Line("save", "\"\"");
        Line("appendonly", "no");
        Line("cluster-enabled", cluster ? "yes" : "no");
        if (cluster)
        {
            Line("cluster-config-file", Quote(Path.Combine(directory, "nodes.conf")));
            if (busPort is int bus)
            {
                Line("cluster-port", bus.ToString(CultureInfo.InvariantCulture));
            }

            Line("cluster-node-timeout", options.NodeTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture));
        }

        if (options.TotalNodes > LocalRedisClusterOptions.SmallClusterNodes)
        {
            // Many processes on few cores: a slower server cron (cluster cron, expiry, client checks) costs each
            // idle node less. Failure detection still works, it just reacts in coarser steps.
            Line("hz", LocalRedisClusterOptions.LargeClusterHz.ToString(CultureInfo.InvariantCulture));
        }

        // Fast, dependable replication and failover for tests.
        Line("repl-diskless-sync", "yes");
        Line("repl-diskless-sync-delay", "0");
        if (cluster)
        {
            Line("cluster-replica-validity-factor", "0");

            // A primary drained of its slots stays an (empty) primary instead of turning into a replica of the node
            // that took them, so MoveSlotsAsync + RemoveNodeAsync behave predictably. Override with ExtraConfig.
            Line("cluster-allow-replica-migration", "no");
        }

        if (options.DefaultUserPassword is not null)
        {
            Line("requirepass", Quote(options.DefaultUserPassword));
            Line("masterauth", Quote(options.DefaultUserPassword));
        }

        foreach (var user in options.Users)
        {
            conf.Append(user.ToConfigLine()).Append('\n');
        }

        foreach (var (name, value) in options.ExtraConfig)
        {
            Line(name, value);
        }

        var path = Path.Combine(directory, "redis.conf");
        File.WriteAllText(path, conf.ToString());
        return path;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
