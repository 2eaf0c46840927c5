using System.Collections.Concurrent;
using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot.Tests.Routing;

/// <summary>
/// The waiting room on its own (no server): operations go on in issue order per slot, a newer one never overtakes an
/// older one of its slot that is still waiting, other slots are not held up, and no operation outlives its deadline.
/// </summary>
public sealed class WaitingRoomTests : IAsyncDisposable
{
    private static readonly long Ms = Stopwatch.Frequency / 1000;
    private readonly Router _router;
    private readonly ConcurrentQueue<string> _dispatched = new();
    private readonly WaitingRoom _room;

    public WaitingRoomTests()
    {
        ClusterOptions options = ClusterOptions.Parse("127.0.0.1:1,commandTimeout=2000");
        _router = new Router(options, new ConnectionFactory(ConnectionSettings.From(options), NullLogger.Instance), NullLogger.Instance);
        _room = new WaitingRoom(op => _dispatched.Enqueue(op.Command[0].ToString()));
    }

    private Operation<RespValue> Op(string name, int slot, out ValueTask<RespValue> task) =>
        Operation<RespValue>.Prepare(_router, RespCommand.Create("GET", name), slot, CommandFlags.ReadOnly, WholeReply.Parser, CancellationToken.None, ReadPolicy.Primary, out task);

    private async Task WaitForAsync(int count)
    {
        var waited = Stopwatch.StartNew();
        while (_dispatched.Count < count)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"only {_dispatched.Count} of {count} were dispatched: {string.Join(",", _dispatched)}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_newer_operation_for_a_slot_waits_behind_an_older_one_and_other_slots_go_on()
    {
        long now = Stopwatch.GetTimestamp();
        Operation<RespValue> older = Op("older", 5, out _);
        Operation<RespValue> newer = Op("newer", 5, out _);
        Operation<RespValue> other = Op("other-slot", 6, out _);
        _room.Park(newer, now);               // due at once, but issued after `older`
        _room.Park(older, now + 60_000 * Ms); // a long backoff
        _room.Park(other, now);
        Assert.True(_room.Holds(5));

        await WaitForAsync(1); // the other slot goes on at once; `newer` stays behind `older` (no timing assumed: `older` waits a minute)
        Assert.Equal(["other-slot"], _dispatched.ToArray());
        Assert.True(_room.Holds(5));
        _room.Signal(); // `older`'s wait ends (as when the routes change): it goes, then `newer`
        await WaitForAsync(3);
        Assert.Equal(["other-slot", "older", "newer"], _dispatched.ToArray());
        Assert.False(_room.Holds(5));
        Assert.False(_room.Holds(6));
        Assert.Equal(0, _room.Count);
    }

    [Fact]
    public async Task A_signal_makes_every_waiting_operation_due_at_once_in_issue_order()
    {
        long later = Stopwatch.GetTimestamp() + 60_000 * Ms; // would wait for a minute without the signal
        var ops = Enumerable.Range(0, 50).Select(i => Op("op" + i, i % 3, out _)).ToArray();
        foreach (Operation<RespValue> op in ops.Reverse()) _room.Park(op, later); // parked newest first
        _room.Signal();

        await WaitForAsync(ops.Length);
        string[] order = _dispatched.ToArray();
        for (int slot = 0; slot < 3; slot++)
        {
            int[] issued = [.. order.Select(n => int.Parse(n[2..])).Where(n => n % 3 == slot)];
            Assert.Equal(issued.OrderBy(n => n), issued); // each slot's operations in the order they were created
        }
    }

    [Fact]
    public async Task An_operation_fails_at_its_deadline_even_if_it_was_due_much_later_and_releases_its_slot()
    {
        Operation<RespValue> op = Op("late", 9, out ValueTask<RespValue> task);
        op.OperationDeadline = Stopwatch.GetTimestamp() + 200 * Ms;
        _room.Park(op, Stopwatch.GetTimestamp() + 60_000 * Ms);

        var elapsed = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RedisTimeoutException>(async () => await task);
        Assert.InRange(elapsed.ElapsedMilliseconds, 100, 3000);
        Assert.False(_room.Holds(9));
        Assert.Empty(_dispatched);
    }

    [Fact]
    public async Task An_operation_waiting_for_a_refresh_is_woken_by_its_end_and_not_by_other_signals()
    {
        Operation<RespValue> op = Op("after-refresh", 3, out _);
        op.WaitsForRefresh = true;
        _room.Park(op, Stopwatch.GetTimestamp() + 60_000 * Ms);
        _room.Signal(); // a connection made, another slot's MOVED: not what it waits for
        await Task.Delay(300);
        Assert.Empty(_dispatched);
        Assert.True(_room.Holds(3));

        _room.RefreshEnded();
        await WaitForAsync(1);
        Assert.Equal(["after-refresh"], _dispatched.ToArray());
        Assert.False(op.WaitsForRefresh);
    }

    public async ValueTask DisposeAsync() => await _router.DisposeAsync();
}
