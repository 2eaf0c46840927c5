using System.Text;

namespace Keyslot;

/// <summary>
/// A Redis key: text (sent as UTF-8) or raw bytes. Converts implicitly from <see cref="string"/>,
/// <see cref="byte"/> arrays and <see cref="ReadOnlyMemory{T}"/> of bytes.
/// </summary>
public readonly struct RedisKey : IEquatable<RedisKey>
{
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _bytes;

    /// <summary>Creates a key from text.</summary>
    public RedisKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _text = key;
    }

    /// <summary>Creates a key from raw bytes.</summary>
    public RedisKey(ReadOnlyMemory<byte> key) => _bytes = key;

    /// <summary>True when the key was given as text.</summary>
    public bool IsText => _text is not null;

    internal string? Text => _text;
    internal ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Converts text to a key.</summary>
    public static implicit operator RedisKey(string key) => new(key);

    /// <summary>Converts bytes to a key.</summary>
    public static implicit operator RedisKey(byte[] key) => new(key ?? throw new ArgumentNullException(nameof(key)));

    /// <summary>Converts bytes to a key.</summary>
    public static implicit operator RedisKey(ReadOnlyMemory<byte> key) => new(key);

    /// <inheritdoc/>
    public bool Equals(RedisKey other)
    {
        if (_text is not null && other._text is not null) return string.Equals(_text, other._text, StringComparison.Ordinal);
        return ToArray().AsSpan().SequenceEqual(other.ToArray());
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RedisKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        // Over the bytes in both forms, so a text key and the same key as bytes (which are Equal) hash alike.
        if (_text is null) return (int)System.IO.Hashing.XxHash32.HashToUInt32(_bytes.Span);
        int length = Encoding.UTF8.GetByteCount(_text);
        Span<byte> utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(_text, utf8);
        return (int)System.IO.Hashing.XxHash32.HashToUInt32(utf8);
    }

    /// <summary>The key as text (bytes are decoded as UTF-8).</summary>
    public override string ToString() => _text ?? Encoding.UTF8.GetString(_bytes.Span);

    /// <summary>The key's bytes as the server stores them (UTF-8 for a text key): exact for binary keys, e.g. from <c>ScanKeysAsync</c>.</summary>
    public byte[] ToArray() => _text is not null ? Encoding.UTF8.GetBytes(_text) : _bytes.ToArray();

    /// <summary>Compares two keys by their bytes.</summary>
    public static bool operator ==(RedisKey left, RedisKey right) => left.Equals(right);

    /// <summary>Compares two keys by their bytes.</summary>
    public static bool operator !=(RedisKey left, RedisKey right) => !left.Equals(right);
}
