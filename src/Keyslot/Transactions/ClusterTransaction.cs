using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;
using Keyslot.Transactions;

namespace Keyslot;

/// <summary>
/// A MULTI/EXEC transaction: commands queued here run together and alone on the primary that owns their slot, all or
/// none, when <see cref="CommitAsync"/> is called. Every key must map to one hash slot (use a {hashtag}); a key in
/// another slot is refused at once with <see cref="RedisCrossSlotException"/>. Conditions (<see cref="AddCondition"/>)
/// make it optimistic: their keys are WATCHed and read first, and the transaction commits only if they hold and no
/// watched key changes before EXEC. It offers every typed command of <see cref="RedisCommands"/>. A transaction is
/// used once, from one thread; the tasks the queueing methods return
/// complete after the commit, and are canceled when it does not commit.
/// </summary>
public sealed class ClusterTransaction : RedisCommands
{
    private readonly ClusterClient _client;
    private readonly Router _router;
    private readonly List<TransactionCondition> _conditions = [];
    private readonly List<TransactionCommand> _commands = [];
    private int _slot = KeySlot.None;
    private bool _committed;

    internal ClusterTransaction(ClusterClient client, Router router)
    {
        _client = client;
        _router = router;
    }

    /// <summary>How many commands are queued.</summary>
    public int Count => _commands.Count;

    /// <summary>The hash slot all of the transaction's keys map to, or -1 while it has none.</summary>
    public int Slot => _slot;

    /// <summary>Why the last commit returned false (a condition that did not hold, or a watched key that changed), else null.</summary>
    public string? NotCommittedReason { get; private set; }

    /// <summary>
    /// A test seam: runs after the conditions were read and held, before MULTI is written (the watch is active),
    /// so a test can change a watched key from another client at exactly that point.
    /// </summary>
    internal Func<Task>? AfterConditionsChecked { get; set; }

    /// <summary>Adds a precondition: the transaction commits only if it holds and its key is not changed before EXEC.</summary>
    public TransactionCondition AddCondition(TransactionCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ThrowIfCommitted();
        UseSlot(condition.Slot, "WATCH");
        _conditions.Add(condition);
        return condition;
    }

    /// <summary>Queues any command; its keys must be in the transaction's slot.</summary>
    public ValueTask<RespValue> ExecuteAsync(string command, params RedisArgument[] args)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(args);
        ConnectionStateGuard.ThrowIfRefused(command, args, "a transaction queues its own MULTI, WATCH and EXEC; add conditions with AddCondition");
        // Inside MULTI a blocking command would not block but answer at once; refused so that nobody relies on it waiting.
        ConnectionStateGuard.ThrowIfBlocking(command, args, "inside MULTI it would not wait; send it with ClusterClient.ExecuteAsync, which runs it on a connection of the node's blocking pool");
        int slot = _router.Commands.Route(command, args, out _);
        return Queue(RespCommand.Create(command, args), slot, ReplyParsers.Value);
    }

    /// <summary>
    /// Sends the transaction. True when it ran (each queued task then holds its command's result, or its runtime
    /// error such as WRONGTYPE: a transaction has no rollback); false when a condition did not hold or a watched key
    /// changed (nothing ran; see <see cref="NotCommittedReason"/>). A MOVED, ASK, TRYAGAIN or CLUSTERDOWN before EXEC
    /// ran anything retries the whole transaction on the right node. Throws <see cref="RedisTransactionAbortedException"/>
    /// when the server refused a queued command (nothing ran), and <see cref="RedisConnectionException"/> with
    /// <see cref="RedisConnectionException.MayHaveBeenApplied"/> when the connection died after EXEC was written:
    /// then the outcome is unknown, and Keyslot never runs it again on its own. <paramref name="cancellationToken"/>
    /// is honoured until EXEC is written; after that the call waits for EXEC's answer (within the command timeout),
    /// so that a cancellation never hides whether the transaction ran.
    /// </summary>
    public async Task<bool> CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCommitted();
        _committed = true;
        _client.EnsureNotDisposed();
        var runner = new TransactionRunner(_router, _slot, _conditions, _commands, AfterConditionsChecked);
        bool committed = false;
        try
        {
            committed = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
            NotCommittedReason = runner.NotCommittedReason;
            return committed;
        }
        finally
        {
            if (!committed)
            {
                foreach (TransactionCommand command in _commands) command.Cancel();
            }
        }
    }

    /// <summary>
    /// The typed commands (every one of <see cref="RedisCommands"/>) are queued for MULTI/EXEC on the transaction's
    /// slot. Their token is not used: a queued command runs with the others or not at all, so cancel
    /// <see cref="CommitAsync"/> instead.
    /// </summary>
    internal ValueTask<T> Queue<T>(in CommandDefinition<T> command) => Queue(command.Command, command.Slot, command.Parser);

    private ValueTask<T> Queue<T>(in RespCommand command, int slot, ReplyParser<T> parser)
    {
        ThrowIfCommitted();
        UseSlot(slot, command.Name);
        var queued = new TransactionCommand<T>(command, parser);
        _commands.Add(queued);
        return queued.ResultTask;
    }

    private void UseSlot(int slot, string command)
    {
        if (slot == KeySlot.None || slot == _slot) return;
        if (_slot != KeySlot.None) throw new RedisCrossSlotException($"MULTI/EXEC ({command})", _slot, slot);
        _slot = slot;
    }

    private void ThrowIfCommitted()
    {
        if (_committed) throw new InvalidOperationException("This transaction was already committed; create a new one.");
    }
}
