namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public RespValue Execute(string command, params RedisArgument[] args) =>
        throw new NotSupportedException("work in progress on the sync-road branch");
}
