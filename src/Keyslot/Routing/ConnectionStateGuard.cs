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
        // Keyslot sends these itself where they belong (ASKING after an ASK, READONLY on replica-read connections);
        // sent by hand they would change how a shared connection's later commands are served.
        "ASKING", "READONLY", "READWRITE",
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the command when it would change a shared connection.</summary>
    public static void ThrowIfRefused(string command, ReadOnlySpan<RedisArgument> args, string advice = "use ClusterClient.CreateTransaction() for MULTI, WATCH and EXEC")
    {
        // CLIENT REPLY OFF|SKIP would silence replies, and every later reply would go to the wrong caller.
        bool clientReply = args.Length > 0 && command.Equals("CLIENT", StringComparison.OrdinalIgnoreCase) && args[0].EqualsIgnoreCase("REPLY");
        if (clientReply || Refused.Contains(command))
        {
            throw new ArgumentException(
                $"{command.ToUpperInvariant()}{(clientReply ? " REPLY" : "")} changes the state of the connection it runs on, and Keyslot's connections are shared by every caller; {advice}.",
                nameof(command));
        }
    }
}
