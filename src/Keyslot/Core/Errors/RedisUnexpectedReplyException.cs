namespace Keyslot;

/// <summary>
/// A node answered with a well-formed reply of a shape the command does not give (an integer where a map belongs, a
/// value out of range). Only that command fails: the reply was whole, so the connection stays in step.
/// </summary>
public sealed class RedisUnexpectedReplyException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisUnexpectedReplyException(string command, NodeEndpoint node, string problem, Exception? innerException = null)
        : base($"{(string.IsNullOrEmpty(node.Host) ? "The node" : node.ToString())} answered {command} with a reply Keyslot could not read as its result: {problem}", innerException)
    {
        Command = command;
        Node = node;
    }

    /// <summary>The command's name (never its arguments).</summary>
    public string Command { get; }

    /// <summary>The node that answered.</summary>
    public NodeEndpoint Node { get; }

    /// <summary>
    /// <paramref name="error"/> as what a caller should see: a Keyslot exception stays as it is; anything else a parser
    /// threw (an invalid cast, an overflow, a missing map key) becomes this exception, naming the command and the node.
    /// </summary>
    internal static RedisException From(Exception error, string command, NodeEndpoint node) =>
        error as RedisException ?? new RedisUnexpectedReplyException(command, node, error.Message, error);
}
