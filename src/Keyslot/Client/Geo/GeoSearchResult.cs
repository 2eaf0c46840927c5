namespace Keyslot;

/// <summary>One member found by GEOSEARCH, with what <see cref="GeoSearchOptions"/> asked for (null otherwise).</summary>
/// <typeparam name="T">The member's type: <see cref="string"/> (UTF-8 text) or <see cref="byte"/>[] (exact bytes).</typeparam>
/// <param name="Member">The member.</param>
/// <param name="Distance">Its distance from the center in the shape's unit (WITHDIST).</param>
/// <param name="Hash">Its raw geohash (WITHHASH).</param>
/// <param name="Position">Its position (WITHCOORD).</param>
public readonly record struct GeoSearchResult<T>(T Member, double? Distance, long? Hash, GeoPosition? Position);
