using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot.Transactions;

/// <summary>
/// Runs one transaction to its end. It goes to the primary that owns its slot; with conditions it writes WATCH and the
/// reads, checks them, then writes MULTI, the queued commands and EXEC in one go, so no other caller's command lands
/// inside. Any attempt that ended before anything could run (MOVED, ASK, TRYAGAIN, CLUSTERDOWN on WATCH, a read, a
/// queued command or EXEC itself; a connection closed before the write or during the reads) is retried whole, within
/// the redirect limit and the deadline. Once EXEC was written, a lost answer is never retried: the error says the
/// transaction may have run.
/// </summary>
internal sealed class TransactionRunner
{
    private const string Name = "MULTI/EXEC";
    private static readonly RespCommand Asking = RespCommand.Create("ASKING");
    private static readonly RespCommand Multi = RespCommand.Create("MULTI");
    private static readonly RespCommand Exec = RespCommand.Create("EXEC");
    private static readonly RespCommand Unwatch = RespCommand.Create("UNWATCH");

    private readonly Router _router;
    private readonly int _slot;
    private readonly IReadOnlyList<TransactionCondition> _conditions;
    private readonly IReadOnlyList<TransactionCommand> _commands;
    private readonly long _deadline;
    private readonly RetryState _retry = new();
    private readonly Func<Task>? _afterConditions;
    private NodeEndpoint _lastNode;

    public TransactionRunner(Router router, int slot, IReadOnlyList<TransactionCondition> conditions, IReadOnlyList<TransactionCommand> commands,
        Func<Task>? afterConditions = null)
    {
        _afterConditions = afterConditions;
        _router = router;
        _slot = slot;
        _conditions = conditions;
        _commands = commands;
        _deadline = Stopwatch.GetTimestamp() + router.CommandTimeoutTicks;
    }

    /// <summary>Why the last attempt that did not commit ended so (a condition, or a WATCH conflict).</summary>
    public string? NotCommittedReason { get; private set; }

    /// <summary>True when the transaction ran; false when a condition failed or a watched key changed.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        Activity? activity = KeyslotTelemetry.StartCommand(Name);
        long started = Stopwatch.GetTimestamp();
        _router.Cache?.OnLocalWrite(_slot); // a transaction may write any key of its slot: read-your-writes at send…
        try
        {
            bool committed = await RunCoreAsync(cancellationToken).ConfigureAwait(false);
            KeyslotTelemetry.EndCommand(activity, Name, _lastNode, started, null);
            return committed;
        }
        catch (Exception ex)
        {
            KeyslotTelemetry.EndCommand(activity, Name, _lastNode, started, ex);
            throw;
        }
        finally
        {
            _router.Cache?.OnLocalWrite(_slot); // …and before its task completes
        }
    }

    private async Task<bool> RunCoreAsync(CancellationToken cancellationToken)
    {
        NodeConnector? askTarget = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Remaining() == TimeSpan.Zero) throw Timeout(0);
            NodeConnector? node = askTarget ?? _router.PrimaryConnectorFor(_slot);
            bool asking = askTarget is not null;
            askTarget = null; // an ASK applies to one attempt
            TransactionOutcome outcome = node is null
                ? TransactionOutcome.NotSent($"slot {_slot} has no owner in the current map")
                : await AttemptOnAsync(node, asking, cancellationToken).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case TransactionOutcomeKind.Committed:
                    return true;
                case TransactionOutcomeKind.NotCommitted:
                    NotCommittedReason = outcome.Reason;
                    return false;
                case TransactionOutcomeKind.NotSent:
                    _retry.LastError = outcome.Reason;
                    _router.RequestRefresh("transaction could not be sent");
                    await BackoffAsync(Backoff.Retry(++_retry.Attempts), cancellationToken).ConfigureAwait(false);
                    continue;
            }
            // The same rules and limits as a single command's error reply: one decision, in the router.
            _retry.LastError = outcome.Error!.Message;
            RetryStep step = _router.FollowError(_retry, outcome.Error, _lastNode, Name, _slot);
            askTarget = await RetryWait.ForStepAsync(_router, step, _retry, _deadline, () => Timeout(0), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TransactionOutcome> AttemptOnAsync(NodeConnector node, bool asking, CancellationToken cancellationToken)
    {
        _lastNode = node.Endpoint;
        NodeConnection connection;
        try
        {
            connection = await node.ConnectAsync(cancellationToken).WaitAsync(Remaining(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (RedisAuthenticationException or OperationCanceledException) && !(ex is ObjectDisposedException && _router.IsDisposed))
        {
            // Nothing was written: safe to try again. (A connector retired because its node left the map is
            // disposed too; the next attempt routes by the fresh map.)
            return TransactionOutcome.NotSent(ex.Message);
        }
        return await AttemptAsync(connection, asking, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TransactionOutcome> AttemptAsync(NodeConnection connection, bool asking, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = connection.TransactionGate;
        if (!await gate.WaitAsync(Remaining(), cancellationToken).ConfigureAwait(false)) throw Timeout(connection.InFlight);
        var block = new TransactionExchange(connection.Endpoint, _slot, _deadline, _commands);
        bool watching = false;
        try
        {
            if (_conditions.Count > 0)
            {
                watching = true;
                if (await WatchAndCheckAsync(connection, asking, cancellationToken).ConfigureAwait(false) is { } early) return early;
            }
            if (asking) block.Add(Asking, StepKind.Asking); // the ASKING flag lasts through MULTI until EXEC
            block.Add(Multi, StepKind.Status);
            foreach (TransactionCommand command in _commands) block.Add(command.Command, StepKind.Status);
            block.Add(Exec, StepKind.Exec);
            switch (connection.SendMany(block.Steps))
            {
                case SendResult.Sent:
                    watching = false; // EXEC ends the watch
                    break;
                case SendResult.QueueFull:
                    throw new RedisQueueFullException(connection.Endpoint, connection.MaxPendingCommands);
                default:
                    return TransactionOutcome.NotSent($"the connection to {connection.Endpoint} closed before MULTI could be written");
            }
        }
        finally
        {
            // An abandoned watch would make this connection's next transaction fail for a key it never watched.
            if (watching) connection.SendBeyondLimit(Unwatch, DiscardedReply.Instance); // closed: no watch left to clear
            gate.Release(); // once EXEC is written, whatever comes next on this connection runs after it
        }
        try
        {
            // Once EXEC is written the outcome is the server's: cancellation is no longer honoured, so the caller
            // learns whether it committed (the command timeout still bounds the wait).
            await block.Completion.ConfigureAwait(false);
        }
        catch (RedisConnectionException ex)
        {
            throw new RedisConnectionException(
                $"The connection to {connection.Endpoint} was lost after EXEC was written; the transaction may have run, so it was not retried.",
                connection.Endpoint, mayHaveBeenApplied: true, ex);
        }
        catch (RedisTimeoutException ex)
        {
            throw new RedisTimeoutException("EXEC", connection.Endpoint, _slot, _router.CommandTimeout, ex.InFlight,
                "EXEC was written, so the transaction may have run; it was not retried", ex);
        }
        return Classify(block, connection.Endpoint);
    }

    /// <summary>WATCH the conditions' keys and read them; null when every condition holds and MULTI may follow.</summary>
    private async Task<TransactionOutcome?> WatchAndCheckAsync(NodeConnection connection, bool asking, CancellationToken cancellationToken)
    {
        var reads = new TransactionExchange(connection.Endpoint, _slot, _deadline);
        var keys = new RedisArgument[_conditions.Count];
        for (int i = 0; i < keys.Length; i++) keys[i] = _conditions[i].Key;
        if (asking) reads.Add(Asking, StepKind.Asking);
        reads.Add(RespCommand.Create("WATCH", keys), StepKind.Status);
        foreach (TransactionCondition condition in _conditions)
        {
            if (asking) reads.Add(Asking, StepKind.Asking); // outside MULTI, ASKING covers one command
            reads.Add(condition.Read, StepKind.Read);
        }
        switch (connection.SendMany(reads.Steps))
        {
            case SendResult.Sent:
                break;
            case SendResult.QueueFull:
                throw new RedisQueueFullException(connection.Endpoint, connection.MaxPendingCommands);
            default:
                return TransactionOutcome.NotSent($"the connection to {connection.Endpoint} closed before WATCH could be written");
        }
        try
        {
            await reads.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex)
        {
            return TransactionOutcome.NotSent(ex.Message); // only WATCH and reads were written: nothing ran
        }
        if (reads.FirstError is { } failure)
        {
            if (IsRetryable(failure.Error)) return TransactionOutcome.Redirected(failure.Error);
            throw new RedisServerException(failure.Error.Kind, failure.Error.Message, failure.Command, connection.Endpoint);
        }
        for (int i = 0; i < _conditions.Count; i++)
        {
            if (!_conditions[i].IsMet(reads.Values[i])) return TransactionOutcome.NotCommitted("condition not met: " + _conditions[i]);
        }
        if (_afterConditions is not null) await _afterConditions().ConfigureAwait(false);
        return null;
    }

    /// <summary>What EXEC's answer means: ran, a watched key changed, or nothing ran and why.</summary>
    private static TransactionOutcome Classify(TransactionExchange block, NodeEndpoint node)
    {
        if (block.Committed) return TransactionOutcome.Committed;
        if (block.ExecError is null && block.FirstError is null) return TransactionOutcome.NotCommitted("a watched key changed before EXEC");
        if (block.FirstError is { } refused)
        {
            // EXECABORT: the server discarded everything because of this queued command's error.
            if (IsRetryable(refused.Error)) return TransactionOutcome.Redirected(refused.Error);
            throw new RedisTransactionAbortedException(block.ExecError?.Message ?? "EXECABORT", refused.Command, refused.Error.Message, node);
        }
        ServerError exec = block.ExecError!;
        if (IsRetryable(exec)) return TransactionOutcome.Redirected(exec); // a redirect at EXEC discards the transaction
        throw new RedisServerException(exec.Kind, exec.Message, "EXEC", node);
    }

    /// <summary>Errors that mean "nothing ran, try there or later": the same set single commands follow.</summary>
    private static bool IsRetryable(ServerError error) => RetryPolicy.Decide(error, 0, int.MaxValue) != RetryAction.Fail;

    private Task BackoffAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        RetryWait.BackoffAsync(_router, delay, _deadline, () => Timeout(0), cancellationToken);

    private TimeSpan Remaining() => RetryWait.Remaining(_deadline);

    private RedisTimeoutException Timeout(int inFlight) =>
        new(Name, _lastNode, _slot, _router.CommandTimeout, inFlight, _retry.LastError);
}
