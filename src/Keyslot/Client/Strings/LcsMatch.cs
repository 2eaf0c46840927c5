namespace Keyslot;

/// <summary>One matching stretch of a longest common subsequence (LCS IDX).</summary>
/// <param name="First">Where it is in the first string.</param>
/// <param name="Second">Where it is in the second string.</param>
/// <param name="Length">Its length.</param>
public readonly record struct LcsMatch(LcsRange First, LcsRange Second, long Length);
