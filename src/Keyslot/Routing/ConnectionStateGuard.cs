namespace Keyslot.Routing;

/// <summary>
/// Commands that change the state of the connection they run on. Keyslot's connections are shared by every caller,
/// so these would reach into other callers' commands (a MULTI would swallow them, an EXEC would drop another
/// transaction's WATCH, a SUBSCRIBE would take the connection out of request/reply). They are refused before
/// anything is sent; each has its own road (<see cref="ClusterTransaction"/> for MULTI, WATCH and EXEC).
/// </summary>
internal static class ConnectionStateGuard
{
    private static readonly HashSet<string> Refused = new(StringComparer.OrdinalIgnoreCase)
    {
        "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH",
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
        "MONITOR", "RESET", "QUIT", "SELECT", "HELLO", "AUTH",
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the command when it would change a shared connection.</summary>
    public static void ThrowIfRefused(string command, string advice = "use ClusterClient.CreateTransaction() for MULTI, WATCH and EXEC")
    {
        if (Refused.Contains(command))
        {
            throw new ArgumentException(
                $"{command.ToUpperInvariant()} changes the state of the connection it runs on, and Keyslot's connections are shared by every caller; {advice}.",
                nameof(command));
        }
    }
}
