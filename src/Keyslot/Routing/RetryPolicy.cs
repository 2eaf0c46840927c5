using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>What to do with a command after an error reply.</summary>
internal enum RetryAction : byte
{
    /// <summary>Give the error to the caller.</summary>
    Fail,
    /// <summary>MOVED: fix the slot's owner, refresh the map in the background, send to the new owner.</summary>
    FollowMoved,
    /// <summary>ASK: send <c>ASKING</c> and the command to the named node once; the map stays as it is.</summary>
    FollowAsk,
    /// <summary>The cluster is busy (TRYAGAIN, CLUSTERDOWN, LOADING…): wait with backoff, then send again.</summary>
    Backoff,
    /// <summary>The map is wrong in a way the reply cannot fix (READONLY from a demoted primary, a redirect without an address): refresh, then send again.</summary>
    RefreshThenRetry,
    /// <summary>Too many redirects or retries: fail with the list of nodes tried.</summary>
    GiveUp,
}

/// <summary>
/// The one place that decides about error replies: a pure function of the error and the redirects already followed,
/// table-tested. Redirects are counted against the limit; backoff retries are bounded by the command's deadline instead,
/// because a migration or failover takes as long as it takes. A backoff starts the redirect count again: the limit
/// catches redirects that loop with no wait between them, not a migration that alternates ASK and TRYAGAIN.
/// Every action it picks is safe for writes: MOVED, ASK, TRYAGAIN, CLUSTERDOWN, LOADING and READONLY all mean the
/// command was not applied.
/// </summary>
internal static class RetryPolicy
{
    public static RetryAction Decide(ServerError error, int redirects, int maxRedirects)
    {
        RetryAction action = error.Kind switch
        {
            RedisErrorKind.Moved => error.Redirect is { HasUsableEndpoint: true } ? RetryAction.FollowMoved : RetryAction.RefreshThenRetry,
            RedisErrorKind.Ask => error.Redirect is { HasUsableEndpoint: true } ? RetryAction.FollowAsk : RetryAction.RefreshThenRetry,
            RedisErrorKind.TryAgain or RedisErrorKind.ClusterDown or RedisErrorKind.Loading or RedisErrorKind.MasterDown => RetryAction.Backoff,
            RedisErrorKind.ReadOnly => RetryAction.RefreshThenRetry,
            _ => RetryAction.Fail,
        };
        bool isRedirect = action is RetryAction.FollowMoved or RetryAction.FollowAsk or RetryAction.RefreshThenRetry;
        if (isRedirect && redirects >= maxRedirects) return RetryAction.GiveUp;
        return action;
    }

}
