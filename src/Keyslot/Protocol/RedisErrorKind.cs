namespace Keyslot;

/// <summary>Error replies the client reacts to, classified by their leading error code.</summary>
public enum RedisErrorKind
{
    /// <summary>Any other error (including plain <c>ERR</c>).</summary>
    Other,
    /// <summary><c>MOVED</c> cluster redirect.</summary>
    Moved,
    /// <summary><c>ASK</c> cluster redirect.</summary>
    Ask,
    /// <summary><c>TRYAGAIN</c>: multi-key command during resharding.</summary>
    TryAgain,
    /// <summary><c>CLUSTERDOWN</c>.</summary>
    ClusterDown,
    /// <summary><c>LOADING</c>: dataset still loading.</summary>
    Loading,
    /// <summary><c>NOSCRIPT</c>: EVALSHA of an unknown script.</summary>
    NoScript,
    /// <summary><c>CROSSSLOT</c>: keys in different slots.</summary>
    CrossSlot,
    /// <summary><c>WRONGTYPE</c>.</summary>
    WrongType,
    /// <summary><c>NOAUTH</c>: authentication required.</summary>
    NoAuth,
    /// <summary><c>WRONGPASS</c>.</summary>
    WrongPass,
    /// <summary><c>NOPERM</c>: ACL denied.</summary>
    NoPerm,
    /// <summary><c>READONLY</c>: write sent to a replica.</summary>
    ReadOnly,
    /// <summary><c>MASTERDOWN</c>.</summary>
    MasterDown,
    /// <summary><c>BUSY</c>: a script is running (not <c>BUSYKEY</c>/<c>BUSYGROUP</c>).</summary>
    Busy,
    /// <summary><c>EXECABORT</c>.</summary>
    ExecAbort,
    /// <summary><c>ERR unknown command ...</c> (e.g. HELLO on a server older than Redis 6).</summary>
    UnknownCommand,
}
