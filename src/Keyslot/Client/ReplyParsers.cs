using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>
/// Turns reply frames into the typed results of the client's methods. Static cached delegates: picking one allocates
/// nothing, and only the result itself (a string, an array) is allocated. They accept RESP2 and RESP3 shapes alike.
/// </summary>
internal static class ReplyParsers
{
    public static readonly ReplyParser<RespValue> Value = WholeReply.Parser;

    public static readonly ReplyParser<string?> String = static (ref RespReader r) => r.Type == RespType.Null ? null : r.GetString();

    public static readonly ReplyParser<byte[]?> Bytes = static (ref RespReader r) => r.Type == RespType.Null ? null : r.GetBytes();

    public static readonly ReplyParser<long> Int64 = static (ref RespReader r) => r.GetInt64();

    /// <summary>An integer, or null for a null reply.</summary>
    public static readonly ReplyParser<long?> NullableInt64 = static (ref RespReader r) => r.Type == RespType.Null ? null : r.GetInt64();

    /// <summary>A double: RESP3's double, or a RESP2 bulk string ("inf" and "-inf" included).</summary>
    public static readonly ReplyParser<double> Double = static (ref RespReader r) => r.GetDouble();

    /// <summary>An integer reply of 1/0 (or a RESP3 boolean).</summary>
    public static readonly ReplyParser<bool> Boolean = static (ref RespReader r) => r.Type == RespType.Boolean ? r.GetBoolean() : r.GetInt64() != 0;

    /// <summary>SET without GET: OK when written, null when NX/XX prevented it.</summary>
    public static readonly ReplyParser<bool> OkOrNull = static (ref RespReader r) => r.Type != RespType.Null && r.ScalarEquals("OK"u8);

    /// <summary>PTTL: milliseconds, or -1 (no expiry) / -2 (no key), both as null.</summary>
    public static readonly ReplyParser<TimeSpan?> TimeToLive = static (ref RespReader r) =>
    {
        long ms = r.GetInt64();
        return ms < 0 ? null : TimeSpan.FromMilliseconds(ms);
    };

    /// <summary>An array of bulk strings (HMGET, MGET), nulls kept.</summary>
    public static readonly ReplyParser<string?[]> StringArray = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        ExpectAggregate(ref r, "an array");
        var result = new string?[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = r.Type == RespType.Null ? null : r.GetString();
        }
        return result;
    };

    /// <summary>An array of bulk strings as bytes (HMGET, MGET), nulls kept: binary values come back exactly.</summary>
    public static readonly ReplyParser<byte[]?[]> BytesArray = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        ExpectAggregate(ref r, "an array");
        var result = new byte[]?[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = r.Type == RespType.Null ? null : r.GetBytes();
        }
        return result;
    };

    /// <summary>A map (RESP3) or a flat array of alternating fields and values (RESP2), e.g. HGETALL.</summary>
    public static readonly ReplyParser<Dictionary<string, string>> StringMap = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return new Dictionary<string, string>(StringComparer.Ordinal);
        ExpectAggregate(ref r, "a map");
        long count = r.Length / 2;
        var result = new Dictionary<string, string>((int)count, StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            r.Read();
            string key = r.GetString() ?? "";
            r.Read();
            result[key] = r.GetString() ?? "";
        }
        return result;
    };

    /// <summary>
    /// A map (RESP3) or a flat array of alternating fields and values (RESP2) with the values as bytes, e.g. HGETALL
    /// of binary values. Field names are decoded as UTF-8.
    /// </summary>
    public static readonly ReplyParser<Dictionary<string, byte[]>> BytesMap = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return new Dictionary<string, byte[]>(StringComparer.Ordinal);
        ExpectAggregate(ref r, "a map");
        long count = r.Length / 2;
        var result = new Dictionary<string, byte[]>((int)count, StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            r.Read();
            string key = r.GetString() ?? "";
            r.Read();
            result[key] = r.GetBytes() ?? [];
        }
        return result;
    };

    /// <summary>
    /// Checks the shape before anything is allocated for it: a scalar's length is its size in bytes, and taken for an
    /// element count it would cost many times what the reply is (a 100 MB string read as a map of 50 million entries).
    /// </summary>
    public static void ExpectAggregate(ref RespReader r, string expected)
    {
        if (!r.IsAggregate) throw new InvalidCastException($"Cannot read a RESP {r.Type} as {expected}.");
    }
}
