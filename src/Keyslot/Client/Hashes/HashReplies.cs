using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>The replies of the hash commands that other families do not share.</summary>
internal static class HashReplies
{

    /// <summary>HRANDFIELD … WITHVALUES: RESP3 sends [[field, value]…], RESP2 a flat [field, value, …].</summary>
    public static readonly ReplyParser<KeyValuePair<string, string>[]> RandomFieldsWithValues = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        if (!r.IsAggregate) throw new InvalidCastException($"Cannot read a RESP {r.Type} as fields with values.");
        long length = r.Length;
        if (length == 0) return [];
        r.Read();
        if (r.IsAggregate)
        {
            var pairs = new KeyValuePair<string, string>[length];
            for (long i = 0; i < length; i++)
            {
                if (i > 0) r.Read();
                if (r.Length != 2) throw new InvalidCastException($"Expected a [field, value] pair, not {r.Length} elements.");
                r.Read();
                string field = r.GetString() ?? "";
                r.Read();
                pairs[i] = new(field, r.GetString() ?? "");
            }
            return pairs;
        }
        var flat = new KeyValuePair<string, string>[length / 2];
        for (long i = 0; i < flat.Length; i++)
        {
            if (i > 0) r.Read();
            string field = r.GetString() ?? "";
            r.Read();
            flat[i] = new(field, r.GetString() ?? "");
        }
        return flat;
    };

    /// <summary>HSCAN: [cursor, [field, value, …]] with the values as text.</summary>
    public static readonly ReplyParser<HashScanPage<string>> ScanPage = static (ref RespReader r) =>
    {
        ulong cursor = KeyScan.ReadCursor(ref r);
        return new HashScanPage<string>(cursor, Entries(ref r, static (ref RespReader v) => v.GetString() ?? ""));
    };

    /// <summary>HSCAN with the values as exact bytes.</summary>
    public static readonly ReplyParser<HashScanPage<byte[]>> ScanPageBytes = static (ref RespReader r) =>
    {
        ulong cursor = KeyScan.ReadCursor(ref r);
        return new HashScanPage<byte[]>(cursor, Entries(ref r, static (ref RespReader v) => v.GetBytes() ?? []));
    };

    private static KeyValuePair<string, T>[] Entries<T>(ref RespReader r, ReplyParser<T> value)
    {
        if (!r.IsAggregate) throw new InvalidCastException($"Cannot read a RESP {r.Type} as an HSCAN page's entries.");
        var entries = new KeyValuePair<string, T>[r.Length / 2];
        for (int i = 0; i < entries.Length; i++)
        {
            r.Read();
            string field = r.GetString() ?? "";
            r.Read();
            entries[i] = new(field, value(ref r));
        }
        return entries;
    }
}
