namespace Keyslot;

/// <summary>Checks and spellings of the geo commands' arguments, shared by the commands and <see cref="GeoSearchShape"/>.</summary>
internal static class GeoArguments
{
    /// <summary>The latitude limit of Redis' geohash (EPSG:3857).</summary>
    public const double MaxLatitude = 85.05112878;

    public static void CheckUnit(GeoUnit unit, string parameter)
    {
        if (unit is not (GeoUnit.Meters or GeoUnit.Kilometers or GeoUnit.Miles or GeoUnit.Feet)) throw new ArgumentOutOfRangeException(parameter, unit, "Not a geo unit.");
    }

    public static string Unit(GeoUnit unit) => unit switch
    {
        GeoUnit.Kilometers => "km",
        GeoUnit.Miles => "mi",
        GeoUnit.Feet => "ft",
        _ => "m",
    };

    /// <summary>Refuses what GEOADD and FROMLONLAT would refuse, before anything is sent.</summary>
    public static void CheckPosition(double longitude, double latitude, string parameter)
    {
        if (!(longitude >= -180 && longitude <= 180)) throw new ArgumentOutOfRangeException(parameter, longitude, "A longitude is from -180 to 180 degrees.");
        if (!(latitude >= -MaxLatitude && latitude <= MaxLatitude)) throw new ArgumentOutOfRangeException(parameter, latitude, "A latitude is from -85.05112878 to 85.05112878 degrees.");
    }
}
