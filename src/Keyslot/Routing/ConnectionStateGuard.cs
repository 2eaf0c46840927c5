using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// Commands that would hurt the other callers of a shared connection, refused before anything is sent. Keyslot's
/// connections are shared by every caller, so a command that changes the connection's state reaches into other
/// callers' commands (a MULTI would swallow them, an EXEC would drop another transaction's WATCH, a SUBSCRIBE would
/// take the connection out of request/reply), and a blocking command holds up every command queued behind it for its
/// whole wait (and, cancelled by its caller, could still pop an element later that nobody receives). Each has its own
/// road (<see cref="ClusterTransaction"/> for MULTI, WATCH and EXEC), or none yet.
/// </summary>
internal static class ConnectionStateGuard
{
    private static readonly HashSet<string> ChangesConnection = new(StringComparer.OrdinalIgnoreCase)
    {
        "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH",
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
        "MONITOR", "RESET", "QUIT", "SELECT", "HELLO", "AUTH",
        // Keyslot sends these itself where they belong (ASKING after an ASK, READONLY on replica-read connections);
        // sent by hand they would change how a shared connection's later commands are served.
        "ASKING", "READONLY", "READWRITE",
    };

    // Block the connection until their timeout or an event: every other caller of the node would wait as long.
    private static readonly HashSet<string> Blocking = new(StringComparer.OrdinalIgnoreCase)
    {
        "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF",
    };

    /// <summary>Throws <see cref="RedisCommandRefusedException"/> naming the command and why when it would hurt a shared connection.</summary>
    public static void ThrowIfRefused(string command, ReadOnlySpan<RedisArgument> args, string advice = "use ClusterClient.CreateTransaction() for MULTI, WATCH and EXEC")
    {
        // CLIENT REPLY OFF|SKIP would silence replies, and every later reply would go to the wrong caller.
        bool clientReply = args.Length > 0 && command.Equals("CLIENT", StringComparison.OrdinalIgnoreCase) && args[0].EqualsIgnoreCase("REPLY");
        if (clientReply || ChangesConnection.Contains(command))
        {
            string name = command.ToUpperInvariant() + (clientReply ? " REPLY" : "");
            throw new RedisCommandRefusedException(name,
                $"{name} changes the state of the connection it runs on, and Keyslot's connections are shared by every caller; nothing was sent; {advice}.");
        }
        if (Blocking.Contains(command) || IsBlockingStreamRead(command, args))
        {
            string name = command.ToUpperInvariant();
            throw new RedisCommandRefusedException(name,
                $"{name}{(Blocking.Contains(command) ? "" : " with BLOCK")} blocks the connection it runs on until it returns, and Keyslot's connections are " +
                "pipelined and shared by every caller, so every other command to that node would wait as long; nothing was sent. " +
                "Blocking commands need connections of their own, which Keyslot does not have yet: poll without blocking " +
                "(XREAD without BLOCK, LPOP, LMPOP) or use a dedicated client for them.");
        }
    }

    /// <summary>XREAD/XREADGROUP with a BLOCK option (looked for before STREAMS only: after it come keys and IDs, any of which may be "BLOCK").</summary>
    private static bool IsBlockingStreamRead(string command, ReadOnlySpan<RedisArgument> args)
    {
        if (!command.Equals("XREAD", StringComparison.OrdinalIgnoreCase) && !command.Equals("XREADGROUP", StringComparison.OrdinalIgnoreCase)) return false;
        for (int i = 0; i < args.Length; i++)
        {
            RedisArgument arg = args[i];
            if (arg.Kind is not (ArgumentKind.Text or ArgumentKind.Bytes)) continue;
            if (arg.EqualsIgnoreCase("STREAMS")) return false;
            if (arg.EqualsIgnoreCase("GROUP")) i += 2; // the group's and the consumer's names, which may be anything
            else if (arg.EqualsIgnoreCase("BLOCK")) return true;
        }
        return false;
    }
}
