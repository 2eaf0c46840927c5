namespace Keyslot;

public partial interface IRedisCommands
{
    /// <summary>SETBIT: sets or clears the bit at <paramref name="offset"/> (growing the string as needed) and returns its previous value.</summary>
    ValueTask<bool> StringSetBitAsync(RedisKey key, long offset, bool bit, CancellationToken cancellationToken = default);

    /// <summary>GETBIT: the bit at <paramref name="offset"/> (false beyond the string or for a missing key).</summary>
    ValueTask<bool> StringGetBitAsync(RedisKey key, long offset, CancellationToken cancellationToken = default);

    /// <summary>
    /// BITCOUNT: the set bits of the string, or of the range <paramref name="start"/>..<paramref name="end"/>
    /// (inclusive; negative from the end) in bytes or (<see cref="StringIndexType.Bit"/>) bits. 0 for a missing key.
    /// </summary>
    ValueTask<long> StringBitCountAsync(RedisKey key, long start = 0, long end = -1, StringIndexType indexType = StringIndexType.Byte, CancellationToken cancellationToken = default);

    /// <summary>
    /// BITPOS: the position (in bits from the start of the string) of the first bit equal to <paramref name="bit"/>
    /// from <paramref name="start"/> up to <paramref name="end"/> (bytes, or bits for <see cref="StringIndexType.Bit"/>,
    /// which needs an end); -1 when there is none. Looking for a clear bit with no end finds one just past the string.
    /// </summary>
    ValueTask<long> StringBitPositionAsync(RedisKey key, bool bit, long start = 0, long? end = null, StringIndexType indexType = StringIndexType.Byte, CancellationToken cancellationToken = default);

    /// <summary>
    /// BITOP: stores AND/OR/XOR of <paramref name="keys"/> (NOT of exactly one) in <paramref name="destination"/> and
    /// returns its length. The destination and keys must share a slot (else <see cref="RedisCrossSlotException"/>
    /// before sending).
    /// </summary>
    ValueTask<long> StringBitOperationAsync(Bitwise operation, RedisKey destination, RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// BITFIELD: runs the operations in order and returns one answer per GET, SET (the old value) and INCRBY (the new
    /// value), null where OVERFLOW FAIL stopped one; OVERFLOW itself answers nothing.
    /// </summary>
    ValueTask<long?[]> StringBitFieldAsync(RedisKey key, BitFieldOperation[] operations, CancellationToken cancellationToken = default);

    /// <summary>BITFIELD_RO: GET operations only (others are refused before sending); it may go to a replica.</summary>
    ValueTask<long?[]> StringBitFieldReadOnlyAsync(RedisKey key, BitFieldOperation[] operations, CancellationToken cancellationToken = default);
}
