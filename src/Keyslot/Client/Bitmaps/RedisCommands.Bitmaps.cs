using Keyslot.Protocol;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<bool> StringSetBitAsync(RedisKey key, long offset, bool bit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return Keyed(RespCommand.Create("SETBIT", key, offset, bit ? 1 : 0), key, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> StringGetBitAsync(RedisKey key, long offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return Keyed(RespCommand.Create("GETBIT", key, offset), key, Read, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> StringBitCountAsync(RedisKey key, long start = 0, long end = -1, StringIndexType indexType = StringIndexType.Byte, CancellationToken cancellationToken = default) =>
        Keyed(BitmapCommands.BitCount(key, start, end, indexType), key, Read, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> StringBitPositionAsync(RedisKey key, bool bit, long start = 0, long? end = null, StringIndexType indexType = StringIndexType.Byte, CancellationToken cancellationToken = default) =>
        Keyed(BitmapCommands.BitPosition(key, bit, start, end, indexType), key, Read, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> StringBitOperationAsync(Bitwise operation, RedisKey destination, RedisKey[] keys, CancellationToken cancellationToken = default)
    {
        RespCommand command = BitmapCommands.BitOperation(operation, destination, keys, out int slot);
        return InSlot(command, slot, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long?[]> StringBitFieldAsync(RedisKey key, BitFieldOperation[] operations, CancellationToken cancellationToken = default) =>
        Keyed(BitmapCommands.BitField(key, operations, readOnly: false), key, Write, BitmapReplies.BitField, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long?[]> StringBitFieldReadOnlyAsync(RedisKey key, BitFieldOperation[] operations, CancellationToken cancellationToken = default) =>
        Keyed(BitmapCommands.BitField(key, operations, readOnly: true), key, Read, BitmapReplies.BitField, cancellationToken);
}
