using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

/// <summary>
/// Reply parsers of the list commands (RESP2 and RESP3 shapes alike), and the argument builders the blocking forms
/// (BLMPOP, BLMOVE) can share: <see cref="MultiPop"/>/<see cref="MultiPopBytes"/> read an LMPOP or BLMPOP reply,
/// <see cref="AddMultiPopArguments"/> writes <c>numkeys key… LEFT|RIGHT [COUNT n]</c>.
/// </summary>
internal static class ListReplies
{
    /// <summary>An array of bulk strings as text; a null reply (LPOP with a count on a missing key) is empty.</summary>
    public static readonly ReplyParser<string[]> Strings = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "an array");
        var result = new string[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = r.GetString() ?? "";
        }
        return result;
    };

    /// <summary>An array of bulk strings as exact bytes; a null reply is empty.</summary>
    public static readonly ReplyParser<byte[][]> Bytes = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "an array");
        var result = new byte[r.Length][];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = r.GetBytes() ?? [];
        }
        return result;
    };


    /// <summary>An array of integers (LPOS with COUNT); a null reply is empty.</summary>
    public static readonly ReplyParser<long[]> Int64s = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "an array");
        var result = new long[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = r.GetInt64();
        }
        return result;
    };

    /// <summary>An OK reply (LSET, LTRIM): true. Errors never reach a parser.</summary>
    public static readonly ReplyParser<bool> Ok = static (ref RespReader r) => r.ScalarEquals("OK"u8);

    /// <summary>LMPOP / BLMPOP: null when every list was empty, else the key and the values as text.</summary>
    public static readonly ReplyParser<ListPopResult<string>?> MultiPop = static (ref RespReader r) =>
    {
        if (!ReadPopKey(ref r, out RedisKey key)) return null;
        return new ListPopResult<string>(key, Strings(ref r));
    };

    /// <summary>LMPOP / BLMPOP: null when every list was empty, else the key and the values as exact bytes.</summary>
    public static readonly ReplyParser<ListPopResult<byte[]>?> MultiPopBytes = static (ref RespReader r) =>
    {
        if (!ReadPopKey(ref r, out RedisKey key)) return null;
        return new ListPopResult<byte[]>(key, Bytes(ref r));
    };

    /// <summary>Reads <c>[key, [values…]]</c> up to the inner array, on which the reader is left.</summary>
    private static bool ReadPopKey(ref RespReader r, out RedisKey key)
    {
        key = default;
        if (r.Type == RespType.Null) return false;
        ReplyParsers.ExpectAggregate(ref r, "a [key, values] pair");
        if (r.Length != 2) throw new InvalidCastException($"Expected a [key, values] pair, not {r.Length} elements.");
        r.Read();
        key = new RedisKey(r.GetBytes() ?? []);
        r.Read();
        return true;
    }

    /// <summary>
    /// Writes <c>numkeys key… LEFT|RIGHT [COUNT count]</c> (LMPOP; BLMPOP after its timeout), the keys checked to
    /// share a slot by the builder. Validates before anything is built: at least one key, a count of at least 1, a
    /// known side. <paramref name="name"/> is the command the messages name (LMPOP, BLMPOP).
    /// </summary>
    public static void AddMultiPopArguments(ref CommandBuilder builder, RedisKey[] keys, ListSide side, long count, string name = "LMPOP")
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0) throw new ArgumentException($"{name} needs at least one key.", nameof(keys));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(count));
        string sideName = SideName(side);
        builder.Add(keys.Length);
        foreach (RedisKey key in keys) builder.AddKey(key);
        builder.Add(sideName);
        if (count != 1)
        {
            builder.Add("COUNT");
            builder.Add(count);
        }
    }

    /// <summary>LEFT or RIGHT; anything else is refused.</summary>
    public static string SideName(ListSide side, string parameter = "side") => side switch
    {
        ListSide.Left => "LEFT",
        ListSide.Right => "RIGHT",
        _ => throw new ArgumentOutOfRangeException(parameter, side, "A list side is Left or Right."),
    };
}
