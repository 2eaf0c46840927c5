using Keyslot.Connections;

namespace Keyslot.ClientSideCache;

/// <summary>
/// What protects the entries read through one tracking connection: while the connection is healthy and the server
/// has not flushed its tracking (an invalidation with no key list), the server will push an invalidation for any of
/// them that changes. An entry remembers its epoch, so losing the connection or a flush retires every entry read
/// through it at once, by construction, without walking the cache.
/// </summary>
internal sealed class TrackingEpoch
{
    private volatile bool _flushed;

    public TrackingEpoch(NodeConnection connection) => Connection = connection;

    public NodeConnection Connection { get; }

    /// <summary>True while the server still tracks, for this client, what was read through the epoch.</summary>
    public bool IsAlive => !_flushed && Connection.IsHealthy;

    /// <summary>The server dropped everything (FLUSHALL, FLUSHDB, or a tracking table overflow).</summary>
    public void Flush() => _flushed = true;
}
