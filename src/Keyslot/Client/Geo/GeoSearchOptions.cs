namespace Keyslot;

/// <summary>What GEOSEARCH returns with each member (flags).</summary>
[Flags]
public enum GeoSearchOptions
{
    /// <summary>The members only.</summary>
    None = 0,
    /// <summary>Each member's position (WITHCOORD).</summary>
    WithCoordinates = 1,
    /// <summary>Each member's distance from the center, in the shape's unit (WITHDIST).</summary>
    WithDistance = 2,
    /// <summary>Each member's raw 52-bit geohash, its score in the sorted set (WITHHASH).</summary>
    WithHash = 4,
}
