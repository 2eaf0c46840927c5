using Keyslot.Connections;

namespace Keyslot.Routing;

/// <summary>
/// How far one command (or one transaction, which is routed as a whole) has come through redirects and retries:
/// kept on the operation, reset when a pooled operation is reused.
/// </summary>
internal sealed class RetryState
{
    /// <summary>Backoff retries so far (they grow the delay; the deadline bounds them).</summary>
    public int Attempts;

    /// <summary>Redirects followed since the last backoff (MOVED, ASK, refresh-then-retry), bounded by maxRedirects.</summary>
    public int Redirects;

    /// <summary>Why the last retry was needed, for the timeout's message should the retries run out of time.</summary>
    public string? LastError;

    /// <summary>Nodes tried, recorded only once a redirect or retry happens.</summary>
    public List<NodeEndpoint>? Tried;

    public void RecordTried(NodeEndpoint node) => (Tried ??= new List<NodeEndpoint>(4)).Add(node);

    public void Reset()
    {
        Attempts = 0;
        Redirects = 0;
        LastError = null;
        Tried = null;
    }
}

/// <summary>
/// What to do after an error reply, decided and prepared once (<see cref="Router.FollowError"/>) for single commands
/// and transactions alike; each then carries it out its own way (re-dispatch or park; loop or throw).
/// </summary>
/// <param name="Action">MOVED, ASK, backoff, refresh, give up or fail.</param>
/// <param name="AskTarget">For ASK: the one node the next attempt goes to, after ASKING.</param>
/// <param name="Delay">For a backoff or refresh: how long to wait at most before the next attempt.</param>
/// <param name="Failure">For give up or fail: the error for the caller.</param>
/// <param name="Refresh">For a refresh-then-retry: the refresh asked for, to wait for before the next attempt.</param>
internal readonly record struct RetryStep(RetryAction Action, NodeConnector? AskTarget, TimeSpan Delay, RedisException? Failure, Task? Refresh = null);
