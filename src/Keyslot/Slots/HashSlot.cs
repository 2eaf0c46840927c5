using System.Text;

namespace Keyslot.Slots;

/// <summary>
/// Maps keys to Redis Cluster hash slots: <c>CRC16-XMODEM(key) mod 16384</c>, hashing only the
/// <c>{hashtag}</c> when the key has a non-empty one, exactly as the server does.
/// </summary>
internal static class HashSlot
{
    /// <summary>The number of hash slots in a Redis Cluster.</summary>
    public const int Count = 16384;

    // Keys up to this many UTF-8 bytes are encoded on the stack; longer ones use a pooled buffer.
    private const int StackLimit = 256;

    /// <summary>Returns the hash slot of a key given as raw bytes.</summary>
    public static int Of(ReadOnlySpan<byte> key) => Crc16.Compute(HashedPart(key, (byte)'{', (byte)'}')) & (Count - 1);

    /// <summary>Returns the hash slot of a key given as text (hashed as its UTF-8 bytes).</summary>
    public static int Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Of(key.AsSpan());
    }

    /// <summary>Returns the hash slot of a key given as text (hashed as its UTF-8 bytes).</summary>
    /// <remarks>
    /// The hashtag is cut on the characters: in UTF-8 every byte of a character beyond ASCII is 0x80 or more, so the
    /// bytes <c>{</c> and <c>}</c> come only from those characters and the cut is the one the server makes on the
    /// bytes. A short ASCII part (the common key) is then hashed from its characters as they are, with no encoding
    /// step; anything else is encoded to UTF-8 first.
    /// </remarks>
    public static int Of(ReadOnlySpan<char> key)
    {
        ReadOnlySpan<char> part = HashedPart(key, '{', '}');
        if (Crc16.TryComputeAscii(part, out ushort crc)) return crc & (Count - 1);
        int max = Encoding.UTF8.GetMaxByteCount(part.Length);
        if (max <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[StackLimit];
            int n = Encoding.UTF8.GetBytes(part, buffer);
            return Crc16.Compute(buffer[..n]) & (Count - 1);
        }
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(part));
        try
        {
            int n = Encoding.UTF8.GetBytes(part, rented);
            return Crc16.Compute(rented.AsSpan(0, n)) & (Count - 1);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The part of the key that is hashed: between the first <c>{</c> and the first <c>}</c> after it,
    /// when that part is not empty; otherwise the whole key. The same cut on bytes or on characters.
    /// </summary>
    private static ReadOnlySpan<T> HashedPart<T>(ReadOnlySpan<T> key, T openBrace, T closeBrace) where T : IEquatable<T>
    {
        int open = key.IndexOf(openBrace);
        if (open < 0) return key;
        int close = key[(open + 1)..].IndexOf(closeBrace);
        if (close <= 0) return key; // no closing brace, or the empty tag "{}": hash the whole key
        return key.Slice(open + 1, close);
    }
}
