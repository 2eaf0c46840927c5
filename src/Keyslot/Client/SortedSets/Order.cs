namespace Keyslot;

/// <summary>The order of a range or search result (sorted sets, geo, SORT, stream ranges: XRANGE ascending, XREVRANGE descending).</summary>
public enum Order
{
    /// <summary>Lowest first (lowest score, lowest rank, nearest).</summary>
    Ascending,
    /// <summary>Highest first (highest score; farthest for geo searches); ranks count from the highest score (ZREVRANK).</summary>
    Descending,
}
