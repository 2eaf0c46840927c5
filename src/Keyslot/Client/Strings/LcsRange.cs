namespace Keyslot;

/// <summary>A range of positions in a string (both ends inclusive), as LCS IDX reports them.</summary>
/// <param name="Start">The first position.</param>
/// <param name="End">The last position.</param>
public readonly record struct LcsRange(long Start, long End);
