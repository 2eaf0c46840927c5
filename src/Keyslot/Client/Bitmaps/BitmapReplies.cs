using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>The bitmap replies beyond plain integers, RESP2 and RESP3 alike.</summary>
internal static class BitmapReplies
{
    /// <summary>BITFIELD's answers: one integer per GET/SET/INCRBY, nil where OVERFLOW FAIL stopped one.</summary>
    public static readonly ReplyParser<long?[]> BitField = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        if (!r.IsAggregate) throw new InvalidCastException($"Cannot read a RESP {r.Type} as BITFIELD's answers.");
        var result = new long?[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = r.Type == RespType.Null ? null : r.GetInt64();
        }
        return result;
    };
}
