using Keyslot.Protocol;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public async ValueTask<RedisKey?> KeyRandomAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await WaitForSlotMapAsync("RANDOMKEY", cancellationToken).ConfigureAwait(false);
        List<NodeEndpoint> primaries = Select(NodeSelection.AllPrimaries);
        // A random primary first; an empty one passes to the next, so null means every primary was empty.
        int first = primaries.Count == 0 ? 0 : Random.Shared.Next(primaries.Count);
        for (int i = 0; i < primaries.Count; i++)
        {
            NodeEndpoint node = primaries[(first + i) % primaries.Count];
            byte[]? key = await _router.ExecuteOnNodeAsync(node, RespCommand.Create("RANDOMKEY"), ReplyParsers.Bytes, cancellationToken).ConfigureAwait(false);
            if (key is not null) return new RedisKey(key);
        }
        return null;
    }
}
