using Keyslot.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot.Tests.Connections;

/// <summary>
/// The client's credential cache on a manual clock: one provider call shared by concurrent askers, the refresh timer
/// armed ahead of expiry, backoff after a failure, a refused credential replaced, and the synchronous road that
/// watches a refresh within its deadline instead of waiting on it.
/// </summary>
public sealed class CredentialCacheTests
{
    private static readonly TimeSpan Life = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);
    private static readonly NodeEndpoint Node = new("127.0.0.1", 7000);

    [Theory]
    [InlineData(900, 60, 840)] // an IAM token: asked again a minute before its 15 minutes are up
    [InlineData(3, 1, 2)]
    [InlineData(1, 5, 0.5)] // a margin longer than the life: halfway, not at once
    [InlineData(-1, 1, 0)]  // already expired: now
    public void The_refresh_comes_a_margin_before_expiry_but_not_before_half_the_remaining_life(double lifeSeconds, double marginSeconds, double expectedSeconds)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        TimeSpan? delay = CredentialSchedule.RefreshDelay(now, now.AddSeconds(lifeSeconds), TimeSpan.FromSeconds(marginSeconds));
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Fact]
    public void A_credential_without_expiry_is_not_refreshed_on_a_timer() =>
        Assert.Null(CredentialSchedule.RefreshDelay(DateTimeOffset.UtcNow, null, Margin));

    [Fact]
    public async Task Concurrent_askers_share_one_provider_call_and_the_credential_is_kept_until_its_refresh()
    {
        var time = new ManualTimeProvider();
        var gate = new TaskCompletionSource();
        int calls = 0;
        using var cache = new CredentialCache(async _ =>
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            return new RedisCredential("app", "token-" + calls, time.GetUtcNow() + Life);
        }, Margin, NullLogger.Instance, time);

        Task<IssuedCredential>[] askers = [.. Enumerable.Range(0, 5).Select(_ => cache.GetAsync(CancellationToken.None).AsTask())];
        gate.SetResult();
        IssuedCredential[] got = await Task.WhenAll(askers);
        Assert.Equal(1, calls);
        Assert.All(got, c => Assert.Same(got[0], c));
        Assert.Equal(1, got[0].Version);

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Same(got[0], await cache.GetAsync(CancellationToken.None));
        Assert.Equal(1, calls);
        Assert.Equal([time.GetUtcNow() + TimeSpan.FromMinutes(4)], time.Due); // 15 - 1 minutes after it was issued
    }

    [Fact]
    public async Task The_timer_ahead_of_expiry_asks_the_provider_and_announces_the_new_credential()
    {
        var time = new ManualTimeProvider();
        int calls = 0;
        using var cache = new CredentialCache(_ => ValueTask.FromResult(new RedisCredential("app", "token-" + Interlocked.Increment(ref calls), time.GetUtcNow() + Life)),
            Margin, NullLogger.Instance, time);
        var announced = new TaskCompletionSource<IssuedCredential>(TaskCreationOptions.RunContinuationsAsynchronously);
        IssuedCredential first = await cache.GetAsync(CancellationToken.None);
        cache.Refreshed += c => announced.TrySetResult(c);

        time.Advance(TimeSpan.FromMinutes(14));
        IssuedCredential second = await announced.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, second.Version);
        Assert.Equal("token-2", second.Password);
        Assert.Same(second, cache.Current);
        Assert.NotSame(first, second);
        Assert.Equal([time.GetUtcNow() + TimeSpan.FromMinutes(14)], time.Due); // and the next one is armed
    }

    [Fact]
    public async Task An_expired_credential_is_not_handed_out_an_async_handshake_awaits_the_refresh()
    {
        var time = new ManualTimeProvider();
        var second = new TaskCompletionSource();
        int calls = 0;
        using var cache = new CredentialCache(async _ =>
        {
            if (Interlocked.Increment(ref calls) > 1) await second.Task;
            return new RedisCredential("app", "token-" + calls, time.GetUtcNow() + Life);
        }, Margin, NullLogger.Instance, time);
        await cache.GetAsync(CancellationToken.None);

        time.Advance(Life + TimeSpan.FromSeconds(1)); // fires the refresh, which hangs until released
        ValueTask<IssuedCredential> waiting = cache.GetAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        second.SetResult();
        IssuedCredential fresh = await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, fresh.Version);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_failed_call_is_retried_with_backoff_and_the_next_success_clears_the_failures()
    {
        var time = new ManualTimeProvider();
        int calls = 0;
        using var cache = new CredentialCache(_ =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("token service down");
            return ValueTask.FromResult(new RedisCredential("app", "token", time.GetUtcNow() + Life));
        }, Margin, NullLogger.Instance, time);
        var announced = new TaskCompletionSource<IssuedCredential>(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.Refreshed += c => announced.TrySetResult(c);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(CancellationToken.None).AsTask());
        Assert.Equal("token service down", error.Message);
        Assert.Equal(1, cache.Failures);
        DateTimeOffset retry = Assert.Single(time.Due);
        Assert.InRange(retry - time.GetUtcNow(), TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));

        time.Advance(TimeSpan.FromSeconds(1.2));
        IssuedCredential recovered = await announced.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, recovered.Version);
        Assert.Equal(0, cache.Failures);
    }

    [Fact]
    public async Task A_refused_credential_is_replaced_before_it_is_offered_again()
    {
        int calls = 0;
        using var cache = new CredentialCache(_ => ValueTask.FromResult(new RedisCredential(null, "token-" + Interlocked.Increment(ref calls))),
            Margin, NullLogger.Instance, new ManualTimeProvider());
        IssuedCredential first = await cache.GetAsync(CancellationToken.None);
        Assert.Same(first, await cache.GetAsync(CancellationToken.None)); // no expiry: kept

        cache.Refused(first);
        IssuedCredential next = await cache.GetAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("token-2", next.Password);
        Assert.True(first.Refused);
    }

    [Fact]
    public async Task The_synchronous_road_uses_the_held_credential_without_calling_the_provider()
    {
        int calls = 0;
        using var cache = new CredentialCache(_ => ValueTask.FromResult(new RedisCredential("app", "token-" + Interlocked.Increment(ref calls), DateTimeOffset.UtcNow + Life)),
            Margin, NullLogger.Instance);
        IssuedCredential held = await cache.GetAsync(CancellationToken.None);
        Assert.Same(held, cache.GetForSync(Node, DeadlineIn(TimeSpan.Zero)));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void The_synchronous_road_watches_a_refresh_that_does_not_finish_and_gives_up_at_its_deadline_with_a_typed_error()
    {
        var never = new TaskCompletionSource<RedisCredential>();
        using var cache = new CredentialCache(_ => new ValueTask<RedisCredential>(never.Task), Margin, NullLogger.Instance);
        var error = Assert.Throws<RedisConnectionException>(() => cache.GetForSync(Node, DeadlineIn(TimeSpan.FromMilliseconds(100))));
        Assert.Contains("credential provider gave no new one", error.Message, StringComparison.Ordinal);
        Assert.Equal(Node, error.Node);
    }

    [Fact]
    public void The_synchronous_road_reports_a_failing_provider_by_name()
    {
        using var cache = new CredentialCache(_ => throw new InvalidOperationException("token service down"), Margin, NullLogger.Instance);
        var error = Assert.Throws<RedisConnectionException>(() => cache.GetForSync(Node, DeadlineIn(TimeSpan.FromSeconds(10))));
        Assert.Contains("credential provider failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("token service down", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public async Task A_provider_that_returns_null_is_a_failure_saying_so()
    {
        using var cache = new CredentialCache(_ => ValueTask.FromResult<RedisCredential>(null!), Margin, NullLogger.Instance);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(CancellationToken.None).AsTask());
        Assert.Contains("returned null", error.Message, StringComparison.Ordinal);
    }

    private static long DeadlineIn(TimeSpan span) => System.Diagnostics.Stopwatch.GetTimestamp() + (long)(span.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
}
