namespace Keyslot;

/// <summary>
/// The typed commands on keys of one slot, written once (<see cref="RedisCommands"/>) and offered alike by
/// <see cref="ClusterClient"/> (sends each at once), <see cref="ClusterBatch"/> (queues them, then one write per node)
/// and <see cref="ClusterTransaction"/> (queues them for MULTI/EXEC; there the per-command token is not used: cancel
/// <see cref="ClusterTransaction.CommitAsync"/> instead). Cross-slot forms (MGET of many keys, DEL of many keys…)
/// are the client's alone (<see cref="IClusterClient"/>).
/// </summary>
public partial interface IRedisCommands
{
}
