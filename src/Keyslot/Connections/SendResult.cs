namespace Keyslot.Connections;

/// <summary>The outcome of handing a command to a connection.</summary>
internal enum SendResult : byte
{
    /// <summary>Written and queued; the reply will complete it.</summary>
    Sent,
    /// <summary>The connection is closed or failed; nothing was written.</summary>
    Closed,
    /// <summary>Too many commands await replies on this connection; nothing was written.</summary>
    QueueFull,
}
