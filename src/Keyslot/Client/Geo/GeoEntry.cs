namespace Keyslot;

/// <summary>A member to add with GEOADD and where it is.</summary>
/// <param name="Longitude">Degrees east, -180 to 180.</param>
/// <param name="Latitude">Degrees north, -85.05112878 to 85.05112878.</param>
/// <param name="Member">The member (text or bytes).</param>
public readonly record struct GeoEntry(double Longitude, double Latitude, RedisArgument Member);
