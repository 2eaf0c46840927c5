namespace Keyslot;

/// <summary>LCS IDX: the matching stretches of the longest common subsequence (from the end of the strings back) and its length.</summary>
/// <param name="Matches">The stretches at least the minimum length asked for, last first, as the server lists them.</param>
/// <param name="LongestMatchLength">The length of the whole longest common subsequence.</param>
public readonly record struct LcsMatchResult(LcsMatch[] Matches, long LongestMatchLength);
