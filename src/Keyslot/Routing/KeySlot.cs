using Keyslot.Protocol;
using Keyslot.Slots;

namespace Keyslot.Routing;

/// <summary>The hash slot of a key given as a <see cref="RedisKey"/> or <see cref="RedisArgument"/>.</summary>
internal static class KeySlot
{
    /// <summary>Marks a command with no keys.</summary>
    public const int None = -1;

    public static int Of(RedisKey key) => key.Text is { } text ? HashSlot.Of(text) : HashSlot.Of(key.Bytes.Span);

    public static int Of(RedisArgument key)
    {
        switch (key.Kind)
        {
            case ArgumentKind.Text: return HashSlot.Of(key.Text);
            case ArgumentKind.Bytes: return HashSlot.Of(key.Span);
            case ArgumentKind.None: throw new ArgumentException("A key is default(RedisArgument); pass a value.", nameof(key));
        }
        // A number used as a key is hashed in the exact form the writer sends, so it lands where the server puts it.
        Span<byte> text = stackalloc byte[RespWriter.MaxNumberLength];
        return HashSlot.Of(text[..RespWriter.FormatNumber(key, text)]);
    }
}
