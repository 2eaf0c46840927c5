namespace Keyslot;

/// <summary>How <c>SetCombineAsync</c> and <c>SortedSetCombineAsync</c> combine sets.</summary>
public enum SetOperation
{
    /// <summary>The members of any of the sets (SUNION, ZUNION).</summary>
    Union,
    /// <summary>The members of all of the sets (SINTER, ZINTER).</summary>
    Intersect,
    /// <summary>The members of the first set that are in none of the others (SDIFF, ZDIFF).</summary>
    Difference,
}
