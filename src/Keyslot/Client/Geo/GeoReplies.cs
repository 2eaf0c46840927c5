using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>
/// The reply parsers of the geo commands, for RESP2 (coordinates as bulk strings) and RESP3 (coordinates as doubles)
/// alike. GEOSEARCH's entries are told apart by shape, the order being fixed (member, distance, hash, coordinates):
/// the distance is a string, the hash an integer, the coordinates a pair.
/// </summary>
internal static class GeoReplies
{
    /// <summary>GEOPOS of one member: null when it (or the key) does not exist.</summary>
    public static readonly ReplyParser<GeoPosition?> Position = static (ref RespReader r) =>
    {
        ReplyParsers.ExpectAggregate(ref r, "an array of positions");
        if (r.Length != 1) throw new InvalidCastException($"GEOPOS of one member answered {r.Length} positions.");
        r.Read();
        return ReadPosition(ref r);
    };

    /// <summary>GEOPOS of several members, null where one does not exist.</summary>
    public static readonly ReplyParser<GeoPosition?[]> Positions = static (ref RespReader r) =>
    {
        ReplyParsers.ExpectAggregate(ref r, "an array of positions");
        var result = new GeoPosition?[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = ReadPosition(ref r);
        }
        return result;
    };

    /// <summary>GEOHASH of one member: null when it does not exist.</summary>
    public static readonly ReplyParser<string?> Hash = static (ref RespReader r) =>
    {
        ReplyParsers.ExpectAggregate(ref r, "an array of geohashes");
        if (r.Length != 1) throw new InvalidCastException($"GEOHASH of one member answered {r.Length} hashes.");
        r.Read();
        return r.Type == RespType.Null ? null : r.GetString();
    };

    public static readonly ReplyParser<GeoSearchResult<string>[]> Search = ReadSearch<string, SortedSetTextMember>;
    public static readonly ReplyParser<GeoSearchResult<byte[]>[]> SearchBytes = ReadSearch<byte[], SortedSetBytesMember>;

    private static GeoPosition? ReadPosition(ref RespReader r)
    {
        if (r.Type == RespType.Null) return null;
        if (!r.IsAggregate || r.Length != 2) throw new InvalidCastException($"Cannot read a RESP {r.Type} as [longitude, latitude].");
        r.Read();
        double longitude = r.GetDouble();
        r.Read();
        return new GeoPosition(longitude, r.GetDouble());
    }

    private static GeoSearchResult<T>[] ReadSearch<T, TReader>(ref RespReader r) where TReader : ISortedSetMemberReader<T>
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "an array of search results");
        var result = new GeoSearchResult<T>[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            if (!r.IsAggregate)
            {
                result[i] = new GeoSearchResult<T>(TReader.Read(ref r), null, null, null);
                continue;
            }
            long parts = r.Length;
            if (parts < 1) throw new InvalidCastException("A GEOSEARCH entry without its member.");
            r.Read();
            T member = TReader.Read(ref r);
            double? distance = null;
            long? hash = null;
            GeoPosition? position = null;
            for (long j = 1; j < parts; j++)
            {
                r.Read();
                if (r.IsAggregate) position = ReadPosition(ref r);
                else if (r.Type == RespType.Integer) hash = r.GetInt64();
                else distance = r.GetDouble();
            }
            result[i] = new GeoSearchResult<T>(member, distance, hash, position);
        }
        return result;
    }
}
