namespace Keyslot;

/// <summary>A member of a sorted set and its score.</summary>
/// <typeparam name="T">The member's type: <see cref="string"/> (UTF-8 text) or <see cref="byte"/>[] (exact bytes).</typeparam>
/// <param name="Member">The member.</param>
/// <param name="Score">Its score (<see cref="double.PositiveInfinity"/> and <see cref="double.NegativeInfinity"/> included).</param>
public readonly record struct SortedSetEntry<T>(T Member, double Score);
