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
}
