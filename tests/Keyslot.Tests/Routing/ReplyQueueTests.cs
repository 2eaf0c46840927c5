using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.Tests.Routing;

public sealed class ReplyQueueTests
{
    private sealed class Probe : PendingReply
    {
        public Probe(int id, long deadline)
        {
            Id = id;
            Deadline = deadline;
        }

        public int Id { get; }
        public override string CommandName => "PROBE";
        public override void OnReply(ref RespReader reader) { }
        public override void OnTimeout(NodeConnection connection, int inFlight) { }
        public override void OnConnectionLost(NodeConnection connection, Exception cause) { }
        public override void Fail(Exception error) { }
    }

    [Fact]
    public void Replies_come_out_in_order_through_growth_and_wrap_around()
    {
        var queue = new ReplyQueue();
        int next = 0, expected = 0;
        for (int round = 0; round < 50; round++)
        {
            for (int i = 0; i < 37; i++) queue.Enqueue(new Probe(next++, long.MaxValue));
            for (int i = 0; i < 30; i++) Assert.Equal(expected++, ((Probe)queue.Dequeue()!).Id);
        }
        Assert.Equal(next - expected, queue.Count);
        Assert.Equal(Enumerable.Range(expected, next - expected), queue.DrainAll().Select(p => ((Probe)p).Id));
        Assert.Null(queue.Dequeue());
    }

    [Fact]
    public void An_expired_reply_is_collected_once_and_stays_queued()
    {
        var queue = new ReplyQueue();
        queue.Enqueue(new Probe(1, deadline: 100));
        queue.Enqueue(new Probe(2, deadline: 1_000));
        var expired = new List<PendingReply>();
        queue.CollectExpired(500, expired);
        Assert.Equal([1], expired.Select(p => ((Probe)p).Id));
        expired.Clear();
        queue.CollectExpired(600, expired);
        Assert.Empty(expired);
        Assert.Equal(2, queue.Count); // its reply will still arrive, and must be matched to it
    }

    [Fact]
    public void Replies_put_back_at_the_head_come_out_first_in_their_order_also_when_that_grows_the_queue()
    {
        var queue = new ReplyQueue();
        for (int i = 0; i < 64; i++) queue.Enqueue(new Probe(i, long.MaxValue)); // full: the next push grows it
        var taken = new List<Probe>();
        for (int i = 0; i < 10; i++) taken.Add((Probe)queue.Dequeue()!);
        for (int i = 64; i < 74; i++) queue.Enqueue(new Probe(i, long.MaxValue)); // wraps around the ring
        queue.PushFront(new Probe(-1, long.MaxValue)); // grows while the head is mid-ring
        for (int i = taken.Count - 1; i >= 0; i--) queue.PushFront(taken[i]);
        Assert.Equal(75, queue.Count);
        Assert.Equal([.. Enumerable.Range(0, 10), -1, .. Enumerable.Range(10, 64)], queue.DrainAll().Select(p => ((Probe)p).Id));
    }
}
