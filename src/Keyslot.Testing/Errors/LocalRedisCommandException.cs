namespace Keyslot.Testing;

/// <summary>Thrown when a node answers a command with an error reply (for example <c>WRONGPASS</c> or <c>MOVED</c>).</summary>
public sealed class LocalRedisCommandException : LocalRedisClusterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="endpoint">The node that answered.</param>
    /// <param name="command">The command (arguments that may hold secrets are elided).</param>
    /// <param name="serverError">The error text the server returned.</param>
    public LocalRedisCommandException(string endpoint, string command, string serverError)
        : base($"{endpoint} answered {command} with an error: {serverError}")
    {
        Endpoint = endpoint;
        ServerError = serverError;
    }

    /// <summary>The node that answered, as <c>host:port</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The error text the server returned, e.g. <c>WRONGPASS invalid username-password pair ...</c>.</summary>
    public string ServerError { get; }
}
