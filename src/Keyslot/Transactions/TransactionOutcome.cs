using Keyslot.Connections;

namespace Keyslot.Transactions;

/// <summary>How one attempt of a transaction ended.</summary>
internal readonly record struct TransactionOutcome(TransactionOutcomeKind Kind, ServerError? Error = null, string? Reason = null)
{
    public static TransactionOutcome Committed => new(TransactionOutcomeKind.Committed);

    public static TransactionOutcome NotCommitted(string reason) => new(TransactionOutcomeKind.NotCommitted, Reason: reason);

    /// <summary>Nothing ran and the error says where or when to try again (MOVED, ASK, TRYAGAIN, CLUSTERDOWN…).</summary>
    public static TransactionOutcome Redirected(ServerError error) => new(TransactionOutcomeKind.Redirected, error);

    /// <summary>The connection was closed before anything was written.</summary>
    public static TransactionOutcome NotSent(string reason) => new(TransactionOutcomeKind.NotSent, Reason: reason);
}

internal enum TransactionOutcomeKind : byte
{
    Committed,
    NotCommitted,
    Redirected,
    NotSent,
}
