using Keyslot.Protocol;
using Keyslot.Slots;

namespace Keyslot.Routing;

/// <summary>The hash slot of a key given as a <see cref="RedisKey"/> or <see cref="RedisArgument"/>.</summary>
internal static class KeySlot
{
    /// <summary>Marks a command with no keys.</summary>
    public const int None = -1;

    public static int Of(RedisKey key) => key.Text is { } text ? HashSlot.Of(text) : HashSlot.Of(key.Bytes.Span);

    public static int Of(RedisArgument key) => key.Kind switch
    {
        ArgumentKind.Text => HashSlot.Of(key.Text),
        ArgumentKind.Bytes => HashSlot.Of(key.Span),
        _ => HashSlot.Of(key.ToString()),
    };
}
