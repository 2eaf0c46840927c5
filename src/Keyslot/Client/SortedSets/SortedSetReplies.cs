using System.Globalization;
using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>How a member is read from a reply: as UTF-8 text or as exact bytes (static, so the generic parsers cost nothing).</summary>
internal interface ISortedSetMemberReader<T>
{
    static abstract T Read(ref RespReader r);
}

/// <summary>Members as UTF-8 text.</summary>
internal readonly struct SortedSetTextMember : ISortedSetMemberReader<string>
{
    public static string Read(ref RespReader r) => r.GetString() ?? "";
}

/// <summary>Members as the bytes the server holds.</summary>
internal readonly struct SortedSetBytesMember : ISortedSetMemberReader<byte[]>
{
    public static byte[] Read(ref RespReader r) => r.GetBytes() ?? [];
}

/// <summary>
/// The reply parsers of the sorted-set commands. Each accepts the RESP2 shape (scores as bulk strings, "inf" and
/// "-inf" included; entries as flat arrays of member, score, member, score…) and the RESP3 one (scores as doubles;
/// WITHSCORES entries as arrays of [member, score] pairs). <see cref="MultiPop"/> (ZMPOP) also reads
/// BZMPOP's reply, and <see cref="KeyAndEntry"/> BZPOPMIN/BZPOPMAX's [key, member, score].
/// </summary>
internal static class SortedSetReplies
{
    /// <summary>A score, or null (ZSCORE of a missing member, ZADD INCR that a condition prevented).</summary>
    public static readonly ReplyParser<double?> NullableScore = static (ref RespReader r) => r.Type == RespType.Null ? null : r.GetDouble();



    /// <summary>ZMSCORE: a score or null per member.</summary>
    public static readonly ReplyParser<double?[]> Scores = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "an array of scores");
        var result = new double?[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = r.Type == RespType.Null ? null : r.GetDouble();
        }
        return result;
    };

    public static readonly ReplyParser<string[]> Members = ReadMembers<string, SortedSetTextMember>;
    public static readonly ReplyParser<byte[][]> MembersBytes = ReadMembers<byte[], SortedSetBytesMember>;
    public static readonly ReplyParser<SortedSetEntry<string>[]> Entries = ReadEntries<string, SortedSetTextMember>;
    public static readonly ReplyParser<SortedSetEntry<byte[]>[]> EntriesBytes = ReadEntries<byte[], SortedSetBytesMember>;
    public static readonly ReplyParser<SortedSetEntry<string>?> PopOne = ReadPopOne<string, SortedSetTextMember>;
    public static readonly ReplyParser<SortedSetEntry<byte[]>?> PopOneBytes = ReadPopOne<byte[], SortedSetBytesMember>;
    public static readonly ReplyParser<SortedSetScanPage<string>> ScanPage = ReadScanPage<string, SortedSetTextMember>;
    public static readonly ReplyParser<SortedSetScanPage<byte[]>> ScanPageBytes = ReadScanPage<byte[], SortedSetBytesMember>;

    /// <summary>ZMPOP (and BZMPOP): null when every set was empty, else [key, [[member, score]…]].</summary>
    public static readonly ReplyParser<SortedSetPopResult<string>?> MultiPop = ReadMultiPop<string, SortedSetTextMember>;

    /// <summary>ZMPOP (and BZMPOP) with the members as bytes.</summary>
    public static readonly ReplyParser<SortedSetPopResult<byte[]>?> MultiPopBytes = ReadMultiPop<byte[], SortedSetBytesMember>;

    /// <summary>BZPOPMIN/BZPOPMAX: null on timeout, else [key, member, score], as a pop result of one entry.</summary>
    public static readonly ReplyParser<SortedSetPopResult<string>?> KeyAndEntry = ReadKeyAndEntry<string, SortedSetTextMember>;

    /// <summary>BZPOPMIN/BZPOPMAX with the member as bytes.</summary>
    public static readonly ReplyParser<SortedSetPopResult<byte[]>?> KeyAndEntryBytes = ReadKeyAndEntry<byte[], SortedSetBytesMember>;

    /// <summary>An array of members (ZRANGE without scores, ZUNION, ZRANDMEMBER with a count); a missing key is an empty array.</summary>
    private static T[] ReadMembers<T, TReader>(ref RespReader r) where TReader : ISortedSetMemberReader<T>
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "an array of members");
        var result = new T[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = TReader.Read(ref r);
        }
        return result;
    }

    /// <summary>
    /// Entries with scores: a flat array of member, score… (RESP2, and ZSCAN's page) or an array of [member, score]
    /// pairs (RESP3). An empty or null reply is no entries.
    /// </summary>
    private static SortedSetEntry<T>[] ReadEntries<T, TReader>(ref RespReader r) where TReader : ISortedSetMemberReader<T>
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "an array of entries");
        long length = r.Length;
        if (length == 0) return [];
        r.Read();
        if (r.IsAggregate)
        {
            var pairs = new SortedSetEntry<T>[length];
            for (int i = 0; i < pairs.Length; i++)
            {
                if (i > 0) r.Read();
                pairs[i] = ReadPair<T, TReader>(ref r);
            }
            return pairs;
        }
        if (length % 2 != 0) throw new InvalidCastException($"Cannot read a flat array of {length} elements as member, score pairs.");
        var flat = new SortedSetEntry<T>[length / 2];
        for (int i = 0; i < flat.Length; i++)
        {
            if (i > 0) r.Read();
            flat[i] = ReadEntry<T, TReader>(ref r);
        }
        return flat;
    }

    /// <summary>
    /// One entry whose member is the current element and whose score is the next: the member, score part of
    /// BZPOPMIN's [key, member, score] and of the flat WITHSCORES arrays.
    /// </summary>
    public static SortedSetEntry<T> ReadEntry<T, TReader>(ref RespReader r) where TReader : ISortedSetMemberReader<T>
    {
        T member = TReader.Read(ref r);
        r.Read();
        return new SortedSetEntry<T>(member, r.GetDouble());
    }

    /// <summary>One [member, score] array, the reader on its header.</summary>
    private static SortedSetEntry<T> ReadPair<T, TReader>(ref RespReader r) where TReader : ISortedSetMemberReader<T>
    {
        if (!r.IsAggregate || r.Length != 2) throw new InvalidCastException($"Cannot read a RESP {r.Type} as a [member, score] pair.");
        r.Read();
        return ReadEntry<T, TReader>(ref r);
    }

    /// <summary>ZPOPMIN/ZPOPMAX without a count: [member, score], or an empty array when the key does not exist.</summary>
    private static SortedSetEntry<T>? ReadPopOne<T, TReader>(ref RespReader r) where TReader : ISortedSetMemberReader<T>
    {
        SortedSetEntry<T>[] entries = ReadEntries<T, TReader>(ref r);
        return entries.Length == 0 ? null : entries[0];
    }

    /// <summary>ZSCAN: [cursor, [member, score, …]] (scores are bulk strings in RESP3 too).</summary>
    private static SortedSetScanPage<T> ReadScanPage<T, TReader>(ref RespReader r) where TReader : ISortedSetMemberReader<T>
    {
        ulong cursor = KeyScan.ReadCursor(ref r); // leaves the reader on the entries
        return new SortedSetScanPage<T>(cursor, ReadEntries<T, TReader>(ref r));
    }

    private static SortedSetPopResult<T>? ReadMultiPop<T, TReader>(ref RespReader r) where TReader : ISortedSetMemberReader<T>
    {
        if (r.Type == RespType.Null) return null;
        if (!r.IsAggregate || r.Length != 2) throw new InvalidCastException($"Cannot read a RESP {r.Type} as a [key, entries] pop result.");
        r.Read();
        var key = new RedisKey(r.GetBytes() ?? []);
        r.Read();
        return new SortedSetPopResult<T>(key, ReadEntries<T, TReader>(ref r));
    }

    private static SortedSetPopResult<T>? ReadKeyAndEntry<T, TReader>(ref RespReader r) where TReader : ISortedSetMemberReader<T>
    {
        if (r.Type == RespType.Null) return null;
        if (!r.IsAggregate || r.Length != 3) throw new InvalidCastException($"Cannot read a RESP {r.Type} as [key, member, score].");
        r.Read();
        var key = new RedisKey(r.GetBytes() ?? []);
        r.Read();
        return new SortedSetPopResult<T>(key, [ReadEntry<T, TReader>(ref r)]);
    }
}
