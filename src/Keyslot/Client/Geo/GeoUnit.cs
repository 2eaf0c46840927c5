namespace Keyslot;

/// <summary>The unit of a geo distance or search shape.</summary>
public enum GeoUnit
{
    /// <summary>Meters (<c>m</c>).</summary>
    Meters,
    /// <summary>Kilometers (<c>km</c>).</summary>
    Kilometers,
    /// <summary>Miles (<c>mi</c>).</summary>
    Miles,
    /// <summary>Feet (<c>ft</c>).</summary>
    Feet,
}
