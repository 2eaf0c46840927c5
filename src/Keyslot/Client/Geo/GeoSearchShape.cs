using System.Globalization;

namespace Keyslot;

/// <summary>
/// The area GEOSEARCH looks in, around its center: a circle (BYRADIUS) or an axis-aligned box (BYBOX), sizes in
/// <see cref="Unit"/>. Sizes must be finite and not negative (zero, as the server allows it, finds what lies exactly at
/// the center); <c>default(GeoSearchShape)</c> is refused.
/// </summary>
public readonly struct GeoSearchShape
{
    private readonly bool _made; // false only in default(GeoSearchShape), which has no size: a zero radius is a shape

    private GeoSearchShape(bool isBox, double width, double height, GeoUnit unit)
    {
        GeoArguments.CheckUnit(unit, nameof(unit));
        _made = true;
        IsBox = isBox;
        Width = width;
        Height = height;
        Unit = unit;
    }

    /// <summary>True for a box, false for a circle.</summary>
    public bool IsBox { get; }

    /// <summary>The box's width, or the circle's radius.</summary>
    public double Width { get; }

    /// <summary>The box's height, or the circle's radius.</summary>
    public double Height { get; }

    /// <summary>The unit of the sizes, and of the distances returned.</summary>
    public GeoUnit Unit { get; }

    /// <summary>A circle of <paramref name="radius"/> (BYRADIUS).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The radius is negative, NaN or infinite, or the unit is unknown.</exception>
    public static GeoSearchShape Radius(double radius, GeoUnit unit = GeoUnit.Meters)
    {
        CheckSize(radius, nameof(radius));
        return new GeoSearchShape(false, radius, radius, unit);
    }

    /// <summary>A box <paramref name="width"/> wide (east–west) and <paramref name="height"/> high (BYBOX).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, NaN or infinite, or the unit is unknown.</exception>
    public static GeoSearchShape Box(double width, double height, GeoUnit unit = GeoUnit.Meters)
    {
        CheckSize(width, nameof(width));
        CheckSize(height, nameof(height));
        return new GeoSearchShape(true, width, height, unit);
    }

    private static void CheckSize(double value, string parameter)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(parameter, value, "A size is finite and not negative.");
    }

    /// <summary>Adds BYRADIUS r unit or BYBOX w h unit; <c>default(GeoSearchShape)</c> throws.</summary>
    internal void AddTo(ref Routing.CommandBuilder builder, string parameter)
    {
        if (!_made) throw new ArgumentException("default(GeoSearchShape) is not a shape; use GeoSearchShape.Radius or GeoSearchShape.Box.", parameter);
        if (IsBox)
        {
            builder.Add("BYBOX");
            builder.Add(Width);
            builder.Add(Height);
        }
        else
        {
            builder.Add("BYRADIUS");
            builder.Add(Width);
        }
        builder.Add(GeoArguments.Unit(Unit));
    }

    /// <summary>The shape as sent, e.g. <c>BYRADIUS 5 km</c>.</summary>
    public override string ToString() => IsBox
        ? string.Create(CultureInfo.InvariantCulture, $"BYBOX {Width} {Height} {GeoArguments.Unit(Unit)}")
        : string.Create(CultureInfo.InvariantCulture, $"BYRADIUS {Width} {GeoArguments.Unit(Unit)}");
}
