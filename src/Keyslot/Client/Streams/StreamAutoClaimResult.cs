namespace Keyslot;

/// <summary>What XAUTOCLAIM returned.</summary>
/// <param name="NextStartId">Where the next call should start; <c>0-0</c> when the whole pending list was scanned.</param>
/// <param name="Entries">The entries claimed.</param>
/// <param name="DeletedIds">IDs that were pending but no longer in the stream (removed from the pending list).</param>
public readonly record struct StreamAutoClaimResult(string NextStartId, StreamEntry[] Entries, string[] DeletedIds);
