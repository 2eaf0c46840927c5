namespace Keyslot.Testing.Internal;

/// <summary>Bounded polling: re-checks a condition until it holds, the timeout passes, or the caller cancels.</summary>
internal static class Poll
{
    /// <summary>
    /// Calls <paramref name="check"/> until it reports done. Exceptions thrown by the check count as "not yet"
    /// (a node may still be starting); on timeout the last state or error is put in the exception message.
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        string what,
        Func<CancellationToken, Task<(bool Done, T Value, string State)>> check,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        int intervalMilliseconds = 25)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var lastState = "not checked yet";
        Exception? lastError = null;
        while (true)
        {
            try
            {
                var (done, value, state) = await check(cts.Token).ConfigureAwait(false);
                if (done)
                {
                    return value;
                }

                lastState = state;
                lastError = null;
            }
            catch (Exception ex) when (IsTransient(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                lastState = ex.Message;
                lastError = ex;
            }

            try
            {
                await Task.Delay(intervalMilliseconds, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        throw new LocalRedisClusterTimeoutException(
            $"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}. Last state: {lastState}", lastError);
    }

    /// <summary>Errors that mean "not yet" (a node starting, a connection dropping, an error reply); others propagate.</summary>
    private static bool IsTransient(Exception ex) =>
        ex is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or LocalRedisClusterException;

    /// <summary>Non-generic convenience overload.</summary>
    public static Task UntilAsync(
        string what,
        Func<CancellationToken, Task<(bool Done, string State)>> check,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        int intervalMilliseconds = 25)
        => UntilAsync<bool>(
            what,
            async ct =>
            {
                var (done, state) = await check(ct).ConfigureAwait(false);
                return (done, true, state);
            },
            timeout,
            cancellationToken,
            intervalMilliseconds);
}
