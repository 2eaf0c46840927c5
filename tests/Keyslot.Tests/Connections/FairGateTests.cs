using Keyslot.Connections;

namespace Keyslot.Tests.Connections;

/// <summary>The synchronous connections' gate: places go to waiters in the order they came, and a timed-out waiter gives nothing away.</summary>
public sealed class FairGateTests
{
    [Fact]
    public void Free_places_are_taken_without_waiting_and_then_the_gate_is_closed()
    {
        var gate = new FairGate(2);
        Assert.True(gate.Enter(TimeSpan.Zero));
        Assert.True(gate.Enter(TimeSpan.Zero));
        Assert.False(gate.Enter(TimeSpan.Zero));
        gate.Leave();
        Assert.True(gate.Enter(TimeSpan.Zero));
    }

    [Fact]
    public void A_freed_place_goes_to_the_oldest_waiter_not_to_a_newcomer()
    {
        var gate = new FairGate(1);
        Assert.True(gate.Enter(TimeSpan.Zero));
        var order = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var waiters = new Thread[3];
        for (int i = 0; i < waiters.Length; i++)
        {
            int id = i;
            waiters[i] = new Thread(() =>
            {
                Assert.True(gate.Enter(TimeSpan.FromSeconds(30)));
                order.Enqueue(id);
                gate.Leave();
            });
            waiters[i].Start();
            WaitUntilQueued(gate, i + 1);
        }
        gate.Leave();
        foreach (Thread waiter in waiters) Assert.True(waiter.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal([0, 1, 2], order.ToArray());
    }

    [Fact]
    public void A_waiter_that_timed_out_is_skipped_and_the_place_stays_free()
    {
        var gate = new FairGate(1);
        Assert.True(gate.Enter(TimeSpan.Zero));
        Assert.False(gate.Enter(TimeSpan.FromMilliseconds(20)));
        gate.Leave(); // nobody waits any more: the place is free again
        Assert.True(gate.Enter(TimeSpan.Zero));
    }

    private static void WaitUntilQueued(FairGate gate, int waiting)
    {
        var spin = System.Diagnostics.Stopwatch.StartNew();
        while (gate.Waiting < waiting)
        {
            Assert.True(spin.Elapsed < TimeSpan.FromSeconds(30), "the waiter never queued");
            Thread.Sleep(1);
        }
    }
}
