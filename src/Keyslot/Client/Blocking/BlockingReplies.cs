using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>The replies of blocking commands that their non-blocking forms do not share.</summary>
internal static class BlockingReplies
{
    /// <summary>BLPOP / BRPOP: <c>[key, element]</c> as text, or null when the timeout passed.</summary>
    public static readonly ReplyParser<ListPopResult<string>?> KeyAndString = static (ref RespReader r) =>
        ReadKey(ref r, out RedisKey key) ? new ListPopResult<string>(key, [r.GetString() ?? ""]) : null;

    /// <summary>BLPOP / BRPOP: <c>[key, element]</c> as bytes, or null when the timeout passed.</summary>
    public static readonly ReplyParser<ListPopResult<byte[]>?> KeyAndBytes = static (ref RespReader r) =>
        ReadKey(ref r, out RedisKey key) ? new ListPopResult<byte[]>(key, [r.GetBytes() ?? []]) : null;

    /// <summary>BLPOP / BRPOP of one key: the element only.</summary>
    public static readonly ReplyParser<string?> ElementOnly = static (ref RespReader r) =>
        ReadKey(ref r, out _) ? r.GetString() : null;

    /// <summary>Reads <c>[key, …]</c> up to its second element, on which the reader is left; false for a null reply.</summary>
    private static bool ReadKey(ref RespReader r, out RedisKey key)
    {
        key = default;
        if (r.Type == RespType.Null) return false;
        if (!r.IsAggregate || r.Length < 2) throw new InvalidCastException($"Expected a [key, element] pair, not a RESP {r.Type} of {r.Length}.");
        r.Read();
        key = new RedisKey(r.GetBytes() ?? []);
        r.Read();
        return true;
    }
}
