namespace Keyslot;

/// <summary>What XREAD / XREADGROUP returned for one stream.</summary>
/// <param name="Key">The stream's key, as the server named it.</param>
/// <param name="Entries">Its entries, oldest first.</param>
public readonly record struct StreamReadResult(RedisKey Key, StreamEntry[] Entries);
