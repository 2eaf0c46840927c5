using Keyslot.Protocol;

namespace Keyslot;

/// <summary>
/// EXEC answered EXECABORT: a command queued in the transaction was refused (a syntax or arity error, an unknown
/// command, a denied permission), so the server discarded the whole transaction and nothing of it ran.
/// <see cref="FailedCommand"/> and <see cref="FailedCommandError"/> say which command and why.
/// </summary>
public sealed class RedisTransactionAbortedException : RedisServerException
{
    /// <summary>Creates the exception.</summary>
    public RedisTransactionAbortedException(string execError, string failedCommand, string failedCommandError, NodeEndpoint node)
        : base(RedisErrorKind.ExecAbort, $"{execError} The cause: {failedCommand} was refused with \"{failedCommandError}\"; nothing of the transaction ran.", "EXEC", node)
    {
        FailedCommand = failedCommand;
        FailedCommandError = failedCommandError;
    }

    /// <summary>The name of the queued command the server refused.</summary>
    public string FailedCommand { get; }

    /// <summary>The error the server gave that command.</summary>
    public string FailedCommandError { get; }
}
