namespace Keyslot;

/// <summary>
/// What LMPOP popped: the first non-empty list of the keys given, and the values taken from it (at most the count
/// asked for, in the order they were popped). Record equality compares <see cref="Values"/> by reference, not element by element.
/// </summary>
/// <typeparam name="T">The values' type: <see cref="string"/> (UTF-8 text) or <see cref="byte"/>[] (exact bytes).</typeparam>
/// <param name="Key">The key the values were popped from, exactly as the server named it.</param>
/// <param name="Values">The popped values, never empty.</param>
public readonly record struct ListPopResult<T>(RedisKey Key, T[] Values);
