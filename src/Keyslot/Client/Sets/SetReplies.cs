using System.Buffers.Text;
using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>Reply parsers of the set commands, RESP2 (arrays) and RESP3 (sets) alike.</summary>
internal static class SetReplies
{
    /// <summary>Members as text (SMEMBERS, SPOP/SRANDMEMBER with a count, SUNION…): an array or a RESP3 set.</summary>
    public static readonly ReplyParser<string[]> Strings = ListReplies.Strings;

    /// <summary>Members as exact bytes: an array or a RESP3 set.</summary>
    public static readonly ReplyParser<byte[][]> Bytes = ListReplies.Bytes;

    /// <summary>SMISMEMBER: one 1/0 (or RESP3 boolean) per member asked about, in order.</summary>
    public static readonly ReplyParser<bool[]> Booleans = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "an array");
        var result = new bool[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = r.Type == RespType.Boolean ? r.GetBoolean() : r.GetInt64() != 0;
        }
        return result;
    };

    /// <summary>SSCAN: <c>[cursor, [members…]]</c> with the members as text.</summary>
    public static readonly ReplyParser<SetScanPage<string>> ScanPage = static (ref RespReader r) =>
    {
        ulong cursor = KeyScan.ReadCursor(ref r);
        return new SetScanPage<string>(cursor, ListReplies.Strings(ref r));
    };

    /// <summary>SSCAN: <c>[cursor, [members…]]</c> with the members as exact bytes.</summary>
    public static readonly ReplyParser<SetScanPage<byte[]>> ScanPageBytes = static (ref RespReader r) =>
    {
        ulong cursor = KeyScan.ReadCursor(ref r);
        return new SetScanPage<byte[]>(cursor, ListReplies.Bytes(ref r));
    };
}
