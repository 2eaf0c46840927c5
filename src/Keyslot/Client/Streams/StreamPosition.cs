namespace Keyslot;

/// <summary>A stream and the ID after which to read it (XREAD / XREADGROUP).</summary>
/// <param name="Key">The stream's key.</param>
/// <param name="Id">
/// Read entries after this ID: <c>"0"</c> from the start; for XREADGROUP <c>"&gt;"</c> for entries never delivered
/// to the group, or an ID for this consumer's pending entries after it.
/// </param>
public readonly record struct StreamPosition(RedisKey Key, string Id);
