namespace Keyslot;

/// <summary>
/// Keyslot refused a command before sending anything, because on a connection shared by every caller it would hurt
/// the others: it changes the connection's state (MULTI, SUBSCRIBE, SELECT, CLIENT REPLY…), or it blocks the
/// connection for its whole wait (BLPOP, XREAD BLOCK, WAIT…). The message says why and what to use instead.
/// </summary>
public sealed class RedisCommandRefusedException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisCommandRefusedException(string command, string message) : base(message)
    {
        Command = command;
    }

    /// <summary>The refused command's name, upper case (with its subcommand where that is what was refused).</summary>
    public string Command { get; }
}
