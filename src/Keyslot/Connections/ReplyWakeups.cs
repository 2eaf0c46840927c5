using System.Runtime.ExceptionServices;

namespace Keyslot.Connections;

/// <summary>
/// The waiters of replies that one read of a connection completed, woken together by one thread-pool work item.
/// A work item per reply cost a queue push, a dispatch and often a hand-off to the other core for every command; one
/// per read (up to <see cref="Capacity"/> replies) costs that once, and still keeps user code off the read loop.
/// </summary>
/// <remarks>
/// A continuation that blocks delays only the waiters behind it in the same work item; the next read's replies wake
/// in another work item, on whichever pool thread is free.
/// </remarks>
internal sealed class ReplyWakeups : IThreadPoolWorkItem
{
    /// <summary>Enough to make the work item cheap per reply, few enough that a busy read still spreads over the cores.</summary>
    public const int Capacity = 32;

    private static readonly ObjectPool<ReplyWakeups> Pool = new(static () => new ReplyWakeups(), capacity: 1024);

    private readonly ReplySlot[] _replies = new ReplySlot[Capacity];
    private int _count;

    private ReplyWakeups() { }

    public static ReplyWakeups Rent() => Pool.Rent();

    public bool IsFull => _count == Capacity;

    public void Add(PendingReply reply) => _replies[_count++].Reply = reply;

    /// <summary>Hands the wake-ups to the thread pool; the caller lets go of this object.</summary>
    public void Schedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);

    void IThreadPoolWorkItem.Execute()
    {
        int count = _count;
        _count = 0;
        ExceptionDispatchInfo? thrown = null;
        for (int i = 0; i < count; i++)
        {
            PendingReply reply = _replies[i].Reply!;
            _replies[i].Reply = null;
            try
            {
                reply.Wake();
            }
            catch (Exception ex)
            {
                // A continuation's own exception: the waiters after it still wake, then it surfaces as it would have
                // from a work item of its own (unhandled on a pool thread).
                thrown ??= ExceptionDispatchInfo.Capture(ex);
            }
        }
        Pool.Return(this);
        thrown?.Throw();
    }
}
