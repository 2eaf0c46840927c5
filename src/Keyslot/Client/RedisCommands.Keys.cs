using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<bool> KeyDeleteAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("DEL", key), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyUnlinkAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("UNLINK", key), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyExistsAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("EXISTS", key), key, Read, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyExpireAsync(RedisKey key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        long ms = Milliseconds(expiry, nameof(expiry));
        RespCommand command = ms % 1000 == 0 ? RespCommand.Create("EXPIRE", key, ms / 1000) : RespCommand.Create("PEXPIRE", key, ms);
        return Keyed(command, key, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<TimeSpan?> KeyTimeToLiveAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("PTTL", key), key, Read, ReplyParsers.TimeToLive, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> KeyTimeToLiveSecondsAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("TTL", key), key, Read, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyPersistAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("PERSIST", key), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> KeyTypeAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("TYPE", key), key, Read, ReplyParsers.String, cancellationToken);
}
