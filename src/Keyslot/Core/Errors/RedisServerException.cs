using Keyslot.Protocol;

namespace Keyslot;

/// <summary>The server answered a command with an error reply (e.g. WRONGTYPE), which Keyslot does not handle itself.</summary>
public class RedisServerException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisServerException(RedisErrorKind kind, string serverMessage, string command, NodeEndpoint node)
        : base($"{serverMessage} (command {command} on {node})")
    {
        Kind = kind;
        ServerMessage = serverMessage;
        Command = command;
        Node = node;
    }

    /// <summary>The kind of error, classified from its prefix.</summary>
    public RedisErrorKind Kind { get; }

    /// <summary>The error text as the server sent it.</summary>
    public string ServerMessage { get; }

    /// <summary>The command's name (never its arguments).</summary>
    public string Command { get; }

    /// <summary>The node that answered.</summary>
    public NodeEndpoint Node { get; }
}
