using System.Buffers;
using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.Transactions;

/// <summary>What a step's reply is for.</summary>
internal enum StepKind : byte
{
    /// <summary>ASKING before a command sent after an ASK redirect: its OK is dropped.</summary>
    Asking,
    /// <summary>WATCH, MULTI, or a queued command: OK or QUEUED, or an error to remember.</summary>
    Status,
    /// <summary>A condition's read: its value is kept.</summary>
    Read,
    /// <summary>EXEC: an array of the queued commands' results, null on a WATCH conflict, or an error.</summary>
    Exec,
}

/// <summary>
/// A group of commands written to one connection in one go, with their replies collected in order: a transaction's
/// WATCH and condition reads, or its MULTI … EXEC block. Replies arrive in write order, so the group is complete
/// when its last reply is in; it fails as a whole on a timeout or a lost connection.
/// </summary>
internal sealed class TransactionExchange
{
    private readonly List<QueuedCommand> _steps = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IReadOnlyList<TransactionCommand> _queued;
    private readonly NodeEndpoint _node;
    private readonly int _slot;
    private readonly long _deadline;
    private int _queuedIndex;

    public TransactionExchange(NodeEndpoint node, int slot, long deadline, IReadOnlyList<TransactionCommand>? queued = null)
    {
        _node = node;
        _slot = slot;
        _deadline = deadline;
        _queued = queued ?? [];
    }

    /// <summary>The steps to write, in order.</summary>
    public List<QueuedCommand> Steps => _steps;

    /// <summary>Completes when the last reply arrived; fails with a timeout or connection error.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The first error reply of a WATCH, MULTI, queued command or read, and the command that got it.</summary>
    public (string Command, ServerError Error)? FirstError { get; private set; }

    /// <summary>The reads' values, in the order they were added.</summary>
    public List<RespValue> Values { get; } = [];

    /// <summary>EXEC's own error reply (EXECABORT, or a redirect at EXEC time).</summary>
    public ServerError? ExecError { get; private set; }

    /// <summary>True when EXEC answered with an array: the transaction ran.</summary>
    public bool Committed { get; private set; }

    public void Add(in RespCommand command, StepKind kind) => _steps.Add(new Step(this, command, kind) { Deadline = _deadline });

    private void OnReply(Step step, ref RespReader reader)
    {
        if (_completion.Task.IsCompleted) return; // timed out or lost earlier: this late reply only keeps the connection in step
        try
        {
            Take(step, ref reader);
        }
        catch (Exception ex)
        {
            // The frame was whole (the scanner checked it), so the connection stays in step; the exchange fails
            // instead of waiting forever for a completion that this reply was meant to give.
            _completion.TrySetException(RedisUnexpectedReplyException.From(ex, step.CommandName, _node));
            return;
        }
        if (ReferenceEquals(step, _steps[^1])) _completion.TrySetResult();
    }

    private void Take(Step step, ref RespReader reader)
    {
        switch (step.Kind)
        {
            case StepKind.Asking:
                break;
            case StepKind.Exec:
                OnExecReply(ref reader);
                break;
            default:
                if (reader.IsError)
                {
                    FirstError ??= (step.CommandName, ServerError.Read(ref reader));
                    if (step.Kind == StepKind.Read) Values.Add(RespValue.Null);
                }
                else if (step.Kind == StepKind.Read)
                {
                    Values.Add(reader.ReadValue());
                }
                break;
        }
    }

    private void OnExecReply(ref RespReader reader)
    {
        if (reader.IsError)
        {
            ExecError = ServerError.Read(ref reader);
            return;
        }
        if (reader.Type == RespType.Null) return; // a watched key changed: nothing ran
        Committed = true;
        long count = reader.Length;
        for (long i = 0; i < count && _queuedIndex < _queued.Count; i++)
        {
            reader.Read();
            RespReader element = reader; // the parser walks a copy; the original then skips the element's subtree
            _queued[_queuedIndex++].Complete(ref element, _node);
            reader.SkipChildren();
        }
        while (_queuedIndex < _queued.Count)
        {
            _queued[_queuedIndex++].Fail(new RespProtocolException(0, $"EXEC on {_node} returned {count} results for {_queued.Count} queued commands."));
        }
    }

    private void OnTimeout(Step step, NodeConnection connection, int inFlight) =>
        _completion.TrySetException(new RedisTimeoutException(step.CommandName, connection.Endpoint, _slot, connection.CommandTimeout, inFlight));

    private void OnConnectionLost(Step step, NodeConnection connection, Exception cause) =>
        _completion.TrySetException(new RedisConnectionException(
            $"The connection to {connection.Endpoint} was lost while {step.CommandName} awaited its reply.", connection.Endpoint, mayHaveBeenApplied: true, cause));

    private sealed class Step(TransactionExchange owner, RespCommand command, StepKind kind) : QueuedCommand
    {
        public StepKind Kind => kind;

        public override string CommandName => command.Name;

        public override void WriteCommand(IBufferWriter<byte> writer) => command.WriteTo(writer);

        public override void OnReply(ref RespReader reader) => owner.OnReply(this, ref reader);

        public override void OnTimeout(NodeConnection connection, int inFlight) => owner.OnTimeout(this, connection, inFlight);

        public override void OnConnectionLost(NodeConnection connection, Exception cause) => owner.OnConnectionLost(this, connection, cause);

        public override void Fail(Exception error) => owner._completion.TrySetException(error);
    }
}
