namespace Keyslot;

public partial interface IRedisCommands
{
    /// <summary>
    /// GEOADD of one member: true when it was added (with <paramref name="change"/>, CH: added or moved).
    /// <paramref name="when"/> gives NX/XX. Positions outside -180..180 / -85.05112878..85.05112878 are refused before
    /// anything is sent.
    /// </summary>
    ValueTask<bool> GeoAddAsync(RedisKey key, double longitude, double latitude, RedisArgument member, SetCondition when = SetCondition.Always, bool change = false, CancellationToken cancellationToken = default);

    /// <summary>GEOADD of several members (at least one): how many were added (with <paramref name="change"/>, CH: added or moved).</summary>
    ValueTask<long> GeoAddAsync(RedisKey key, IEnumerable<GeoEntry> entries, SetCondition when = SetCondition.Always, bool change = false, CancellationToken cancellationToken = default);

    /// <summary>GEODIST: the distance between two members in <paramref name="unit"/>, or null when either (or the key) does not exist.</summary>
    ValueTask<double?> GeoDistanceAsync(RedisKey key, RedisArgument member1, RedisArgument member2, GeoUnit unit = GeoUnit.Meters, CancellationToken cancellationToken = default);

    /// <summary>GEOPOS of one member: its position, or null when it (or the key) does not exist.</summary>
    ValueTask<GeoPosition?> GeoPositionAsync(RedisKey key, RedisArgument member, CancellationToken cancellationToken = default);

    /// <summary>GEOPOS of several members (at least one): positions in the order of <paramref name="members"/>, null where one does not exist.</summary>
    ValueTask<GeoPosition?[]> GeoPositionAsync(RedisKey key, RedisArgument[] members, CancellationToken cancellationToken = default);

    /// <summary>GEOHASH of one member: its 11-character geohash, or null when it (or the key) does not exist.</summary>
    ValueTask<string?> GeoHashAsync(RedisKey key, RedisArgument member, CancellationToken cancellationToken = default);

    /// <summary>GEOHASH of several members (at least one): geohashes in the order of <paramref name="members"/>, null where one does not exist.</summary>
    ValueTask<string?[]> GeoHashAsync(RedisKey key, RedisArgument[] members, CancellationToken cancellationToken = default);

    /// <summary>
    /// GEOSEARCH … FROMMEMBER: the members within <paramref name="shape"/> around <paramref name="member"/> (which must
    /// exist: the server answers an error otherwise), sorted by distance when <paramref name="order"/> is given (ASC
    /// nearest first, DESC), at most <paramref name="count"/> (-1: all; with <paramref name="any"/>, COUNT … ANY: the
    /// first found, not the nearest), each with what <paramref name="options"/> asks for. Empty when the key does not
    /// exist. Bad sizes, counts or units are refused before anything is sent.
    /// </summary>
    ValueTask<GeoSearchResult<string>[]> GeoSearchAsync(RedisKey key, RedisArgument member, GeoSearchShape shape, Order? order = null, long count = -1, bool any = false, GeoSearchOptions options = GeoSearchOptions.None, CancellationToken cancellationToken = default);

    /// <summary>GEOSEARCH … FROMLONLAT: as the member form, around the given position.</summary>
    ValueTask<GeoSearchResult<string>[]> GeoSearchAsync(RedisKey key, double longitude, double latitude, GeoSearchShape shape, Order? order = null, long count = -1, bool any = false, GeoSearchOptions options = GeoSearchOptions.None, CancellationToken cancellationToken = default);

    /// <summary>GEOSEARCH … FROMMEMBER with the members as exact bytes.</summary>
    ValueTask<GeoSearchResult<byte[]>[]> GeoSearchBytesAsync(RedisKey key, RedisArgument member, GeoSearchShape shape, Order? order = null, long count = -1, bool any = false, GeoSearchOptions options = GeoSearchOptions.None, CancellationToken cancellationToken = default);

    /// <summary>GEOSEARCH … FROMLONLAT with the members as exact bytes.</summary>
    ValueTask<GeoSearchResult<byte[]>[]> GeoSearchBytesAsync(RedisKey key, double longitude, double latitude, GeoSearchShape shape, Order? order = null, long count = -1, bool any = false, GeoSearchOptions options = GeoSearchOptions.None, CancellationToken cancellationToken = default);

    /// <summary>
    /// GEOSEARCHSTORE … FROMMEMBER: stores what the search finds in <paramref name="destination"/> (replacing it) as a
    /// geo set, or with <paramref name="storeDistances"/> (STOREDIST) as a sorted set scored by distance; returns how
    /// many. The two keys must share a slot: otherwise <see cref="RedisCrossSlotException"/> is thrown before anything is sent.
    /// </summary>
    ValueTask<long> GeoSearchAndStoreAsync(RedisKey source, RedisKey destination, RedisArgument member, GeoSearchShape shape, Order? order = null, long count = -1, bool any = false, bool storeDistances = false, CancellationToken cancellationToken = default);

    /// <summary>GEOSEARCHSTORE … FROMLONLAT: as the member form, around the given position.</summary>
    ValueTask<long> GeoSearchAndStoreAsync(RedisKey source, RedisKey destination, double longitude, double latitude, GeoSearchShape shape, Order? order = null, long count = -1, bool any = false, bool storeDistances = false, CancellationToken cancellationToken = default);
}
