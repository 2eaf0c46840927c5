using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// Commands that would hurt the other callers of a shared connection, refused before anything is sent. Keyslot's
/// connections are shared by every caller, so a command that changes the connection's state reaches into other
/// callers' commands (a MULTI would swallow them, an EXEC would drop another transaction's WATCH, a SUBSCRIBE would
/// take the connection out of request/reply), and a blocking command holds up every command queued behind it for its
/// whole wait (and, cancelled by its caller, could still pop an element later that nobody receives). Each has its own
/// road: <see cref="ClusterTransaction"/> for MULTI, WATCH and EXEC, the client's blocking pool
/// (<see cref="BlockingRunner"/>) for blocking commands; subscriptions have none yet.
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
        if (BlockingCommands.MeasuresItsConnection(command))
        {
            string name = command.ToUpperInvariant();
            throw new RedisCommandRefusedException(name,
                $"{name} waits for the writes of the connection it runs on to reach replicas (or disk): on a connection of its own it would measure " +
                "nothing, and on the shared pipelined connection it would hold up every other caller of the node while it waits; nothing was sent.");
        }
    }

    /// <summary>
    /// Throws <see cref="RedisCommandRefusedException"/> for a blocking command sent where it would run on a shared
    /// pipelined connection (a batch, a node-level command); <paramref name="advice"/> says where it can go instead.
    /// </summary>
    public static void ThrowIfBlocking(string command, ReadOnlySpan<RedisArgument> args, string advice)
    {
        if (!BlockingCommands.IsBlocking(command, args)) return;
        string name = command.ToUpperInvariant();
        throw new RedisCommandRefusedException(name,
            $"{name}{(BlockingCommands.AlwaysBlocks(command) ? "" : " with BLOCK")} blocks the connection it runs on until it returns, and this road " +
            $"writes to the node's shared pipelined connection, where every other command to that node would wait as long; nothing was sent; {advice}.");
    }
}
