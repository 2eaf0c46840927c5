namespace Keyslot;

/// <summary>
/// What ZMPOP popped: the first non-empty sorted set of the keys given, and the entries taken from it (at most the
/// count asked for, lowest or highest scores first as asked).
/// </summary>
/// <typeparam name="T">The members' type: <see cref="string"/> (UTF-8 text) or <see cref="byte"/>[] (exact bytes).</typeparam>
/// <param name="Key">The key the entries were popped from, exactly as the server named it.</param>
/// <param name="Entries">The popped entries, never empty.</param>
public readonly record struct SortedSetPopResult<T>(RedisKey Key, SortedSetEntry<T>[] Entries);
