using Microsoft.Extensions.Logging;

namespace Keyslot.Connections;

/// <summary>
/// The client's latest credential from <see cref="ClusterOptions.CredentialProvider"/>. Handshakes take it from here
/// instead of calling the provider each time; it is replaced in the background ahead of its expiry
/// (<see cref="CredentialSchedule"/>), and concurrent askers share one provider call. An async handshake awaits a
/// refresh when the held credential has expired or was refused; a synchronous one never awaits anything: it uses
/// the held credential, or watches the refresh within its own deadline (<see cref="GetForSync"/>).
/// </summary>
internal sealed class CredentialCache : IDisposable
{
    private readonly Func<CancellationToken, ValueTask<RedisCredential>> _provider;
    private readonly TimeSpan _margin;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _sync = new();
    private IssuedCredential? _current;
    private Task<IssuedCredential>? _refreshing;
    private ITimer? _timer;
    private long _versions;
    private int _failures;
    private bool _disposed;

    public CredentialCache(Func<CancellationToken, ValueTask<RedisCredential>> provider, TimeSpan margin, ILogger logger, TimeProvider? time = null)
    {
        _provider = provider;
        _margin = margin;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised (on the thread that finished the refresh) with each new credential: live connections re-authenticate with it.</summary>
    public event Action<IssuedCredential>? Refreshed;

    /// <summary>The latest credential, usable or not; null before the provider first answered.</summary>
    public IssuedCredential? Current => Volatile.Read(ref _current);

    /// <summary>True while <paramref name="credential"/> may be offered to a server (not refused, not expired by this cache's clock).</summary>
    public bool IsUsable(IssuedCredential credential) => credential.IsUsable(_time.GetUtcNow());

    /// <summary>Provider calls that failed in a row (0 after a success).</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>The held credential while usable, else the next one from the provider (one call, shared).</summary>
    public ValueTask<IssuedCredential> GetAsync(CancellationToken cancellationToken)
    {
        IssuedCredential? current = Current;
        if (current is not null && current.IsUsable(_time.GetUtcNow())) return new(current);
        return new(RefreshAsync().WaitAsync(cancellationToken));
    }

    /// <summary>
    /// For a synchronous handshake: the held credential while usable; else the refresh is started (or joined) and
    /// watched until <paramref name="deadline"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) on this
    /// thread, through an event its completion sets: nothing here waits on the task itself.
    /// </summary>
    /// <exception cref="RedisConnectionException">The provider failed, or gave nothing by the deadline.</exception>
    public IssuedCredential GetForSync(NodeEndpoint endpoint, long deadline)
    {
        IssuedCredential? current = Current;
        if (current is not null && current.IsUsable(_time.GetUtcNow())) return current;
        Task<IssuedCredential> refresh = RefreshAsync();
        if (!refresh.IsCompleted)
        {
            // Not disposed: the continuation may still set it after the wait gave up (no wait handle was made, so nothing leaks).
            var done = new ManualResetEventSlim();
            refresh.ContinueWith(static (_, state) => ((ManualResetEventSlim)state!).Set(), done, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            done.Wait(Routing.RetryWait.Remaining(deadline));
        }
        if (refresh.IsCompletedSuccessfully && Current is { } fresh && fresh.IsUsable(_time.GetUtcNow())) return fresh;
        if (refresh.IsFaulted) throw ProviderFailed(endpoint, refresh.Exception.InnerException ?? refresh.Exception);
        throw new RedisConnectionException(
            $"The credential for {endpoint} has expired and the credential provider gave no new one within the command's deadline.", endpoint);
    }

    /// <summary>The error a handshake reports when the provider failed: typed, naming the provider, without any credential.</summary>
    public static RedisConnectionException ProviderFailed(NodeEndpoint endpoint, Exception cause) =>
        new($"The credential provider failed, so no connection to {endpoint} could authenticate: {cause.GetType().Name}: {cause.Message}", endpoint, false, cause);

    /// <summary>A server refused <paramref name="credential"/>: the next handshake asks the provider again instead of offering it.</summary>
    public void Refused(IssuedCredential credential)
    {
        credential.MarkRefused();
        _ = ObservedRefreshAsync();
    }

    /// <summary>Starts a provider call, or joins the one under way.</summary>
    public Task<IssuedCredential> RefreshAsync()
    {
        lock (_sync)
        {
            if (_disposed) return Task.FromException<IssuedCredential>(new ObjectDisposedException(nameof(ClusterClient)));
            if (_refreshing is { } running) return running;
            Task<IssuedCredential> started = FetchAsync();
            _refreshing = started;
            return started;
        }
    }

    private async Task<IssuedCredential> FetchAsync()
    {
        // The caller stores this task as the call under way while holding the lock; finishing synchronously would clear it first.
        await Task.Yield();
        RedisCredential credential;
        try
        {
            credential = await _provider(_stopping.Token).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The credential provider returned null instead of a RedisCredential.");
        }
        catch (Exception ex)
        {
            int failures;
            lock (_sync)
            {
                _refreshing = null;
                failures = ++_failures;
                if (!_disposed) ScheduleLocked(CredentialSchedule.RetryAfterFailure(failures));
            }
            if (!_stopping.IsCancellationRequested) Log.CredentialProviderFailed(_logger, failures, ex.GetType().Name, ex.Message);
            throw;
        }
        IssuedCredential issued = new(credential, Interlocked.Increment(ref _versions));
        lock (_sync)
        {
            _current = issued;
            _refreshing = null;
            _failures = 0;
            if (!_disposed) ScheduleLocked(CredentialSchedule.RefreshDelay(_time.GetUtcNow(), credential.ExpiresAt, _margin));
        }
        Log.CredentialRefreshed(_logger, issued.Version, credential.User ?? "default", credential.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never");
        // Outside the provider's try: what the listeners do (start re-authentications) is not a provider failure.
        Refreshed?.Invoke(issued);
        return issued;
    }

    /// <summary>One timer for the next provider call: after a success ahead of expiry, after a failure with backoff.</summary>
    private void ScheduleLocked(TimeSpan? delay)
    {
        _timer?.Dispose();
        _timer = delay is { } due ? _time.CreateTimer(static s => _ = ((CredentialCache)s!).ObservedRefreshAsync(), this, due, Timeout.InfiniteTimeSpan) : null;
    }

    /// <summary>A refresh nobody awaits: its failure is logged (and retried) by <see cref="FetchAsync"/>, never thrown.</summary>
    private async Task ObservedRefreshAsync()
    {
        try
        {
            await RefreshAsync().ConfigureAwait(false);
        }
        catch
        {
            // logged where it failed
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed) return;
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
        // Cancelled, not disposed: a provider call still running may read its token.
        _stopping.Cancel();
    }
}
