namespace Keyslot;

/// <summary>How ZUNION and ZINTER combine the (weighted) scores a member has in several sorted sets (AGGREGATE).</summary>
public enum Aggregate
{
    /// <summary>The sum of the scores (the server's default).</summary>
    Sum,
    /// <summary>The lowest score.</summary>
    Min,
    /// <summary>The highest score.</summary>
    Max,
}
