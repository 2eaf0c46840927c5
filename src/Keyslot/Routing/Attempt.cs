using Keyslot.Connections;

namespace Keyslot.Routing;

/// <summary>
/// How one attempt of a runner that loops on its own thread or await (blocking and synchronous commands) ended: done,
/// an error reply to follow, or to be made again (nothing written, or its connection lost).
/// </summary>
internal readonly record struct Attempt<T>(bool Done, T? Value, ServerError? Error, string? Reason, bool Written = false)
{
    public static Attempt<T> Success(T value) => new(true, value, null, null);

    public static Attempt<T> Redirected(ServerError error) => new(false, default, error, null);

    /// <summary>Nothing was written: it may go again whatever it is.</summary>
    public static Attempt<T> Again(string reason) => new(false, default, null, reason);

    /// <summary>Written, then its connection was lost: it goes again if <see cref="RetrySafety"/> says so.</summary>
    public static Attempt<T> Lost(string reason) => new(false, default, null, reason, Written: true);
}
