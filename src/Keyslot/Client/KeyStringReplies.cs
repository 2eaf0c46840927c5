using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>Reply parsers of the keys and strings commands added beside <see cref="ReplyParsers"/>; RESP2 and RESP3 alike.</summary>
internal static class KeyStringReplies
{
    /// <summary>RENAME (OK) and RENAMENX (1/0) as one boolean.</summary>
    public static readonly ReplyParser<bool> OkOrBoolean = static (ref RespReader r) =>
        r.Type switch
        {
            RespType.Null => false,
            RespType.SimpleString => r.ScalarEquals("OK"u8),
            RespType.Boolean => r.GetBoolean(),
            _ => r.GetInt64() != 0,
        };


    /// <summary>A bulk string that is empty rather than null when missing (GETRANGE, LCS).</summary>
    public static readonly ReplyParser<string> NonNullString = static (ref RespReader r) => r.GetString() ?? "";

    public static readonly ReplyParser<byte[]> NonNullBytes = static (ref RespReader r) => r.GetBytes() ?? [];


    /// <summary>OBJECT IDLETIME: seconds, or null for a missing key.</summary>
    public static readonly ReplyParser<TimeSpan?> IdleSeconds = static (ref RespReader r) => r.Type == RespType.Null ? null : TimeSpan.FromSeconds(r.GetInt64());

    /// <summary>PEXPIRETIME: a Unix time in milliseconds, or -1 (no expiry) / -2 (no key), both null.</summary>
    public static readonly ReplyParser<DateTimeOffset?> ExpireTime = static (ref RespReader r) =>
    {
        long ms = r.GetInt64();
        return ms < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);
    };

    /// <summary>LCS IDX … WITHMATCHLEN: a map (RESP3) or flat array (RESP2) of "matches" and "len".</summary>
    public static readonly ReplyParser<LcsMatchResult> LcsMatches = static (ref RespReader r) =>
    {
        ReplyParsers.ExpectAggregate(ref r, "an LCS IDX reply");
        long pairs = r.Length / 2;
        LcsMatch[] matches = [];
        long length = 0;
        for (long i = 0; i < pairs; i++)
        {
            r.Read();
            string name = r.GetString() ?? "";
            r.Read();
            if (name == "len")
            {
                length = r.GetInt64();
            }
            else if (name == "matches")
            {
                ReplyParsers.ExpectAggregate(ref r, "LCS matches");
                matches = new LcsMatch[r.Length];
                for (int m = 0; m < matches.Length; m++)
                {
                    r.Read();
                    ReplyParsers.ExpectAggregate(ref r, "an LCS match");
                    long parts = r.Length;
                    if (parts < 2) throw new InvalidCastException("An LCS match is [[start, end], [start, end], length].");
                    LcsRange first = ReadRange(ref r);
                    LcsRange second = ReadRange(ref r);
                    long matchLength = first.End - first.Start + 1;
                    for (long p = 2; p < parts; p++)
                    {
                        r.Read();
                        if (p == 2) matchLength = r.GetInt64();
                        else r.SkipChildren();
                    }
                    matches[m] = new LcsMatch(first, second, matchLength);
                }
            }
            else
            {
                r.SkipChildren();
            }
        }
        return new LcsMatchResult(matches, length);
    };

    private static LcsRange ReadRange(ref RespReader r)
    {
        r.Read();
        ReplyParsers.ExpectAggregate(ref r, "an LCS range");
        if (r.Length != 2) throw new InvalidCastException("An LCS range is [start, end].");
        r.Read();
        long start = r.GetInt64();
        r.Read();
        return new LcsRange(start, r.GetInt64());
    }
}
