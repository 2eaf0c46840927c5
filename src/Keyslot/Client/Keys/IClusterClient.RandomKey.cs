namespace Keyslot;

public partial interface IClusterClient
{
    /// <summary>
    /// RANDOMKEY of the cluster: a random key of a random primary (the next primary when that one is empty), exactly
    /// as stored (binary keys intact); null when every primary is empty. Not uniform over keys when shards differ in size.
    /// </summary>
    ValueTask<RedisKey?> KeyRandomAsync(CancellationToken cancellationToken = default);
}
