namespace Keyslot;

/// <summary>How <c>SetCombineAsync</c> combines sets.</summary>
public enum SetOperation
{
    /// <summary>The members of any of the sets (SUNION).</summary>
    Union,
    /// <summary>The members of all of the sets (SINTER).</summary>
    Intersect,
    /// <summary>The members of the first set that are in none of the others (SDIFF).</summary>
    Difference,
}
