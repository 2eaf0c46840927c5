namespace Keyslot;

/// <summary>An order: of SORT's results, or of a stream range (XRANGE ascending, XREVRANGE descending).</summary>
public enum SortOrder
{
    /// <summary>Lowest first.</summary>
    Ascending,
    /// <summary>Highest first.</summary>
    Descending,
}
