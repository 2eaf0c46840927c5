namespace Keyslot;

/// <summary>A command got no reply within the command timeout. Only that command fails; the connection stays.</summary>
public sealed class RedisTimeoutException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisTimeoutException(string command, NodeEndpoint node, int slot, TimeSpan timeout, int inFlight, string? lastError = null, Exception? innerException = null)
        : base($"Timeout after {timeout.TotalMilliseconds:0} ms waiting for {command} on {(string.IsNullOrEmpty(node.Host) ? "no node (no owner known for the slot)" : node.ToString())} (slot {(slot < 0 ? "none" : slot.ToString(System.Globalization.CultureInfo.InvariantCulture))}); {inFlight} command(s) were in flight to that node" + (lastError is null ? "." : $"; last error: {lastError}"), innerException)
    {
        Command = command;
        Node = node;
        Slot = slot;
        Timeout = timeout;
        InFlight = inFlight;
    }

    /// <summary>The command's name (never its arguments).</summary>
    public string Command { get; }

    /// <summary>The node the command was sent to.</summary>
    public NodeEndpoint Node { get; }

    /// <summary>The command's hash slot, or -1 for a keyless command.</summary>
    public int Slot { get; }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How many commands were awaiting replies from that node when this one timed out.</summary>
    public int InFlight { get; }
}
