namespace Keyslot;

/// <summary>A point on the earth as Redis stores it (to about 0.6 mm of what was added).</summary>
/// <param name="Longitude">Degrees east, -180 to 180.</param>
/// <param name="Latitude">Degrees north, -85.05112878 to 85.05112878.</param>
public readonly record struct GeoPosition(double Longitude, double Latitude);
