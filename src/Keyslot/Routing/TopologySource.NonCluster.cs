using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Topology;

namespace Keyslot.Routing;

/// <summary>
/// Servers without cluster mode (a single <c>redis-server</c>, ElastiCache with cluster mode disabled): the map is
/// one shard holding every slot, its primary and replicas read from ROLE. Asking a replica leads to its primary, so a
/// failover is followed both when the old primary says it is now a replica (READONLY on a write, then a refresh) and
/// when the configuration endpoint's DNS name points at the new primary by the next connect.
/// </summary>
internal sealed partial class TopologySource
{
    /// <summary>Replica → primary steps followed before giving up (a chain of replicas, or a loop while a failover is half done).</summary>
    private const int MaxReplicationHops = 3;

    private static readonly RespCommand Role = RespCommand.Create("ROLE");
    private static readonly RespCommand InfoReplication = RespCommand.Create("INFO", "replication");

    // Set once a server says it has no cluster mode; every later read of the topology then uses ROLE.
    private volatile bool _nonCluster;
    private int _roleUnreadableLogged;

    /// <summary>Asks <paramref name="source"/> its role and follows replicas to their primary, whose ROLE lists the replicas.</summary>
    private async Task<SlotMap> FetchNonClusterAsync(NodeEndpoint source, CancellationToken cancellationToken)
    {
        NodeEndpoint asked = source;
        for (int hop = 0; hop <= MaxReplicationHops; hop++)
        {
            ReplicationRole role = await ReadRoleAsync(asked, cancellationToken).ConfigureAwait(false);
            if (role.Primary is not { } primary) return SlotMap.NonCluster(asked, role.Replicas);
            asked = primary;
        }
        throw new RedisException($"No primary was found from {source}: its replicas lead on to other replicas for more than " +
            $"{MaxReplicationHops} steps (a replication chain or loop, e.g. halfway through a failover).");
    }

    /// <summary>ROLE; INFO replication where an ACL refuses ROLE; "a primary without replicas" where it refuses both.</summary>
    private async Task<ReplicationRole> ReadRoleAsync(NodeEndpoint endpoint, CancellationToken cancellationToken)
    {
        NodeConnector node = _nodes.Get(endpoint);
        try
        {
            RespValue role = await node.SendDirectAsync(Role, WholeReply.Parser, cancellationToken).ConfigureAwait(false);
            return ReplicationRole.ParseRole(role, endpoint);
        }
        catch (RedisServerException roleRefused) when (IsRefused(roleRefused))
        {
            try
            {
                RespValue info = await node.SendDirectAsync(InfoReplication, WholeReply.Parser, cancellationToken).ConfigureAwait(false);
                return ReplicationRole.ParseInfo(info.AsString() ?? "");
            }
            catch (RedisServerException infoRefused) when (IsRefused(infoRefused))
            {
                if (Interlocked.Exchange(ref _roleUnreadableLogged, 1) == 0) Log.ReplicationRoleUnreadable(_logger, endpoint, infoRefused.ServerMessage);
                return ReplicationRole.Unreadable;
            }
        }
    }

    private static bool IsRefused(RedisServerException error) => error.Kind is RedisErrorKind.NoPerm or RedisErrorKind.UnknownCommand;
}
