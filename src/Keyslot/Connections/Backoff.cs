namespace Keyslot.Connections;

/// <summary>
/// The one backoff formula: <c>first</c> doubling per attempt up to <c>cap</c>, spread by ±<c>jitter</c> so that many
/// clients (or many commands) do not retry in lockstep. Reconnects and command retries differ only in their figures.
/// </summary>
internal static class Backoff
{
    /// <summary>Reconnecting a node: 50 ms doubling to 2 s, ±25%.</summary>
    public static TimeSpan Reconnect(int failures) => Exponential(failures, 50, 2000, 0.25);

    /// <summary>Retrying a command the cluster told to wait (TRYAGAIN, CLUSTERDOWN, a node being reconnected): 10 ms doubling to 500 ms, ±50%.</summary>
    public static TimeSpan Retry(int attempt) => Exponential(attempt, 10, 500, 0.5);

    /// <summary>Attempt <paramref name="attempt"/> (1-based) of <paramref name="firstMs"/> doubling to <paramref name="capMs"/>, ±<paramref name="jitter"/>.</summary>
    public static TimeSpan Exponential(int attempt, double firstMs, double capMs, double jitter)
    {
        double ms = Math.Min(capMs, firstMs * Math.Pow(2, Math.Clamp(attempt - 1, 0, 10)));
        return TimeSpan.FromMilliseconds(ms * (1 - jitter + Random.Shared.NextDouble() * 2 * jitter));
    }
}
