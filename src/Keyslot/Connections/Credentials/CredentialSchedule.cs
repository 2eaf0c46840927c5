namespace Keyslot.Connections;

/// <summary>When the next credential is asked for: the arithmetic, kept apart from timers so it can be tested alone.</summary>
internal static class CredentialSchedule
{
    /// <summary>Retries of a failing provider: 1 s doubling to 30 s, ±20% (a provider behind a network call should not be hammered).</summary>
    public static TimeSpan RetryAfterFailure(int failures) => Backoff.Exponential(failures, 1000, 30_000, 0.2);

    /// <summary>
    /// How long from <paramref name="now"/> until the credential expiring at <paramref name="expiresAt"/> is replaced:
    /// <paramref name="margin"/> before it expires, but no earlier than halfway through what is left of its life, so a
    /// margin longer than the credential lives does not turn into a refresh loop (and half its life is still left for
    /// the refresh and the re-authentication).
    /// Null when it does not expire: it is then replaced only when a server refuses it.
    /// </summary>
    public static TimeSpan? RefreshDelay(DateTimeOffset now, DateTimeOffset? expiresAt, TimeSpan margin)
    {
        if (expiresAt is not { } expires) return null;
        TimeSpan left = expires - now;
        if (left <= TimeSpan.Zero) return TimeSpan.Zero;
        TimeSpan beforeMargin = left - margin;
        TimeSpan half = left / 2;
        return beforeMargin < half ? half : beforeMargin;
    }
}
