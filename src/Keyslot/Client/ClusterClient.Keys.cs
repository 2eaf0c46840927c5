using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public ValueTask<long> KeyDeleteAsync(RedisKey[] keys, CancellationToken cancellationToken = default) =>
        SendMultiKey("DEL", keys, Write, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> KeyUnlinkAsync(RedisKey[] keys, CancellationToken cancellationToken = default) =>
        SendMultiKey("UNLINK", keys, Write, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> KeyExistsAsync(RedisKey[] keys, CancellationToken cancellationToken = default) =>
        SendMultiKey("EXISTS", keys, Read, cancellationToken);
}
