using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Keyslot.Connections;
using Keyslot.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot.Tests.Connections;

/// <summary>
/// The waiters of the replies one read completed wake together, in reply order, on a pool thread and never on the
/// read loop: a waiter that blocks holds up neither the read loop nor the replies of later reads. Over in-memory
/// pipes, so the test decides exactly which replies arrive in one read.
/// </summary>
public sealed class ReplyWakeupsTests
{
    private sealed class Probe(int id, List<int> woken, Action? onWake = null) : QueuedCommand
    {
        public int Id => id;
        public volatile bool Answered;
        public override string CommandName => "PING";
        public override void WriteCommand(IBufferWriter<byte> writer) => RespCommand.Create("PING").WriteTo(writer);
        public override bool OnReply(ref RespReader reader)
        {
            Answered = true;
            return true;
        }
        public override void Wake()
        {
            onWake?.Invoke();
            lock (woken) woken.Add(id);
        }
        public override void OnTimeout(NodeConnection connection, int inFlight) { }
        public override void OnConnectionLost(NodeConnection connection, Exception cause) { }
        public override void Fail(Exception error) { }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    private static (NodeConnection Connection, Pipe FromServer) Connect()
    {
        var toServer = new Pipe();
        var fromServer = new Pipe();
        var connection = new NodeConnection(NodeEndpoint.Parse("127.0.0.1:6379"), new Duplex(fromServer.Reader, toServer.Writer),
            ConnectionSettings.From(ClusterOptions.Parse("127.0.0.1:6379")), NullLogger.Instance);
        return (connection, fromServer);
    }

    private static async Task ReplyAsync(Pipe fromServer, int count)
    {
        await fromServer.Writer.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("+PONG\r\n", count))));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not hold within 10 s");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Every_reply_of_a_large_read_wakes_its_waiter_once_in_reply_order()
    {
        (NodeConnection connection, Pipe fromServer) = Connect();
        var woken = new List<int>();
        const int count = ReplyWakeups.Capacity * 3 + 5; // several work items, the last one partly filled
        for (int i = 0; i < count; i++) Assert.Equal(SendResult.Sent, connection.Send(RespCommand.Create("PING"), new Probe(i, woken)));
        await ReplyAsync(fromServer, count);
        connection.StartReading();

        await WaitUntilAsync(() => { lock (woken) return woken.Count == count; });
        await Task.Delay(50); // a second wake of any reply would show up here
        lock (woken)
        {
            Assert.Equal(count, woken.Count);
            Assert.Equal(Enumerable.Range(0, count), woken.Order()); // each exactly once
            // Within one work item the order is the replies' order.
            for (int batch = 0; batch * ReplyWakeups.Capacity < count; batch++)
            {
                int[] ids = [.. woken.Where(id => id / ReplyWakeups.Capacity == batch)];
                Assert.Equal(ids.Order(), ids);
            }
        }
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task A_waiter_that_blocks_holds_up_neither_the_read_loop_nor_a_later_read()
    {
        (NodeConnection connection, Pipe fromServer) = Connect();
        var woken = new List<int>();
        using var gate = new ManualResetEventSlim(false);
        var blocker = new Probe(0, woken, () => gate.Wait(TimeSpan.FromSeconds(20)));
        var later = new Probe(1, woken);
        Assert.Equal(SendResult.Sent, connection.Send(RespCommand.Create("PING"), blocker));
        Assert.Equal(SendResult.Sent, connection.Send(RespCommand.Create("PING"), later));
        connection.StartReading();

        await ReplyAsync(fromServer, 1);
        await WaitUntilAsync(() => blocker.Answered);
        await ReplyAsync(fromServer, 1); // a second read while the first reply's waiter still blocks

        await WaitUntilAsync(() => later.Answered); // the read loop went on
        await WaitUntilAsync(() => { lock (woken) return woken.Contains(1); }); // and the later waiter woke elsewhere
        lock (woken) Assert.DoesNotContain(0, woken);
        gate.Set();
        await WaitUntilAsync(() => { lock (woken) return woken.Contains(0); });
        await connection.DisposeAsync();
    }

    [Fact]
    public void A_waiter_that_throws_does_not_keep_the_ones_after_it_asleep()
    {
        var woken = new List<int>();
        ReplyWakeups wakeups = ReplyWakeups.Rent();
        wakeups.Add(new Probe(0, woken));
        wakeups.Add(new Probe(1, woken, () => throw new InvalidOperationException("a continuation's bug")));
        wakeups.Add(new Probe(2, woken));

        // Run here rather than on the pool, where the exception would end the test process as any work item's would.
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => ((IThreadPoolWorkItem)wakeups).Execute());

        Assert.Equal("a continuation's bug", error.Message);
        lock (woken) Assert.Equal([0, 2], woken);
    }
}
