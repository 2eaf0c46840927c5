namespace Keyslot;

/// <summary>
/// The options of SORT / SORT_RO. In a cluster, the keys that <see cref="By"/> and <see cref="Get"/> patterns form
/// must be in the sorted key's slot (give them its {hashtag}, e.g. <c>{user}:weight_*</c> for <c>{user}:ids</c>), and
/// the server checks: Redis 7.0 in cluster mode refuses BY patterns and GET altogether, newer servers refuse
/// patterns that may reach other slots. BY <c>nosort</c> is always allowed. Keyslot sends the patterns as given.
/// </summary>
public readonly record struct SortOptions
{
    /// <summary>ASC (the default) or DESC.</summary>
    public Order Order { get; init; }

    /// <summary>ALPHA: sort lexicographically instead of as numbers.</summary>
    public bool Alpha { get; init; }

    /// <summary>BY pattern: sort by the values of other keys (<c>*</c> replaced by the element), or <c>nosort</c>.</summary>
    public string? By { get; init; }

    /// <summary>LIMIT offset: how many sorted elements to skip.</summary>
    public long Offset { get; init; }

    /// <summary>LIMIT count: how many elements to return (null: all after <see cref="Offset"/>).</summary>
    public long? Count { get; init; }

    /// <summary>GET patterns: return these keys' values (<c>#</c> for the element itself) instead of the elements, in this order per element.</summary>
    public string[]? Get { get; init; }
}
