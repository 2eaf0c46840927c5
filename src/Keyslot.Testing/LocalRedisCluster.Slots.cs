using System.Globalization;
using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>
/// Live resharding the way <c>redis-cli --cluster reshard</c> does it: SETSLOT IMPORTING on the target and
/// MIGRATING on the source, GETKEYSINSLOT + MIGRATE until the slot is empty, then SETSLOT NODE on the target,
/// the source and every other primary. Bulk moves pipeline these steps in batches of slots.
/// </summary>
public sealed partial class LocalRedisCluster
{
    private const int SlotBatchSize = 256;
    private const int KeysPerMigrate = 100;

    /// <summary>Moves <paramref name="count"/> slots (its lowest-numbered ones) from one primary to another, keys included, then waits for convergence.</summary>
    /// <param name="from">The current owner.</param>
    /// <param name="to">The new owner (a primary).</param>
    /// <param name="count">How many slots to move; at most what <paramref name="from"/> owns.</param>
    /// <param name="cancellationToken">Cancels the operation (a slot in flight may stay IMPORTING/MIGRATING).</param>
    /// <returns>A task that completes when every node agrees on the new owners.</returns>
    public async Task MoveSlotsAsync(LocalRedisNode from, LocalRedisNode to, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ThrowIfDisposed();
        var view = await AnyViewAsync(cancellationToken).ConfigureAwait(false);
        var owned = view.Find(from.NodeId)?.EnumerateSlots().ToArray() ?? [];
        if (owned.Length < count)
        {
            throw new InvalidOperationException($"{from} owns {owned.Length} slots; cannot move {count}.");
        }

        await MoveBatchesAsync(owned.Take(count).Select(s => (s, from, to)).ToList(), cancellationToken).ConfigureAwait(false);
        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves one slot, keys included, to <paramref name="to"/>, then waits for convergence. No-op if it already owns it.</summary>
    /// <param name="slot">The hash slot.</param>
    /// <param name="to">The new owner (a primary).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every node agrees on the new owner.</returns>
    public async Task MoveSlotAsync(int slot, LocalRedisNode to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        var owner = await GetSlotOwnerAsync(slot, cancellationToken).ConfigureAwait(false);
        await MoveBatchesAsync([(slot, owner, to)], cancellationToken).ConfigureAwait(false);
        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts migrating <paramref name="slot"/> to <paramref name="to"/> and stops there: the slot is IMPORTING on
    /// <paramref name="to"/> and MIGRATING on its owner, so clients get ASK redirects for keys already moved.
    /// </summary>
    /// <param name="slot">The hash slot.</param>
    /// <param name="to">The node that will own it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when both SETSLOT commands were accepted.</returns>
    public async Task BeginSlotMigrationAsync(int slot, LocalRedisNode to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        var owner = await GetSlotOwnerAsync(slot, cancellationToken).ConfigureAwait(false);
        if (owner == to)
        {
            throw new InvalidOperationException($"{to} already owns slot {slot}.");
        }

        var s = slot.ToString(CultureInfo.InvariantCulture);
        await RunAsync(to, cancellationToken, "CLUSTER", "SETSLOT", s, "IMPORTING", owner.NodeId).ConfigureAwait(false);
        await RunAsync(owner, cancellationToken, "CLUSTER", "SETSLOT", s, "MIGRATING", to.NodeId).ConfigureAwait(false);
    }

    /// <summary>Moves the given keys of a migrating slot from its owner to <paramref name="to"/> with MIGRATE.</summary>
    /// <param name="slot">The migrating slot (see <see cref="BeginSlotMigrationAsync"/>).</param>
    /// <param name="to">The importing node.</param>
    /// <param name="keys">Keys of that slot; keys the owner does not have are ignored.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the keys are on <paramref name="to"/>.</returns>
    public async Task MigrateKeysAsync(int slot, LocalRedisNode to, IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(keys);
        var owner = await GetSlotOwnerAsync(slot, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in keys.Select(k => (object)k).Chunk(KeysPerMigrate))
        {
            await MigrateAsync(owner, to, chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes a migration: moves the remaining keys, runs SETSLOT NODE on every primary and waits for convergence.</summary>
    /// <param name="slot">The migrating slot.</param>
    /// <param name="to">The importing node, which becomes the owner.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every node agrees on the new owner.</returns>
    public async Task FinishSlotMigrationAsync(int slot, LocalRedisNode to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        var owner = await GetSlotOwnerAsync(slot, cancellationToken).ConfigureAwait(false);
        if (owner != to)
        {
            await MigrateAllKeysAsync(slot, owner, to, cancellationToken).ConfigureAwait(false);
            await AssignAsync([slot], owner, to, cancellationToken).ConfigureAwait(false);
        }

        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Spreads the slots evenly over all live primaries (slot-less ones included) with live moves, then waits for convergence.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every node agrees on the new layout.</returns>
    public async Task RebalanceAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        var view = await AnyViewAsync(cancellationToken).ConfigureAwait(false);
        var primaries = PrimariesIn(view).Where(n => n.IsReachable).ToArray();
        var owned = primaries.Select(p => (p.NodeId, (IReadOnlyList<int>)view.Find(p.NodeId)!.EnumerateSlots().ToArray())).ToArray();
        var moves = SlotPlanner.Rebalance(owned);
        await MoveBatchesAsync(moves.Select(m => (m.Slot, Find(m.From)!, Find(m.To)!)).ToList(), cancellationToken).ConfigureAwait(false);
        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the full migration protocol for many slots, pipelined per (source, target) pair and batch.</summary>
    private async Task MoveBatchesAsync(IReadOnlyList<(int Slot, LocalRedisNode From, LocalRedisNode To)> moves, CancellationToken cancellationToken)
    {
        foreach (var group in moves.Where(m => m.From != m.To).GroupBy(m => (m.From, m.To)))
        {
            var (from, to) = group.Key;
            foreach (var batch in group.Select(m => m.Slot).Chunk(SlotBatchSize))
            {
                await PipelineAsync(to, batch.Select(s => Cmd("CLUSTER", "SETSLOT", s, "IMPORTING", from.NodeId)), cancellationToken).ConfigureAwait(false);
                await PipelineAsync(from, batch.Select(s => Cmd("CLUSTER", "SETSLOT", s, "MIGRATING", to.NodeId)), cancellationToken).ConfigureAwait(false);
                var counts = await PipelineAsync(from, batch.Select(s => Cmd("CLUSTER", "COUNTKEYSINSLOT", s)), cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < batch.Length; i++)
                {
                    if (counts[i].Integer > 0)
                    {
                        await MigrateAllKeysAsync(batch[i], from, to, cancellationToken).ConfigureAwait(false);
                    }
                }

                await AssignAsync(batch, from, to, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>SETSLOT NODE on the target first, then the source, then every other reachable primary.</summary>
    private async Task AssignAsync(IReadOnlyList<int> slots, LocalRedisNode from, LocalRedisNode to, CancellationToken cancellationToken)
    {
        IEnumerable<object[]> Commands() => slots.Select(s => Cmd("CLUSTER", "SETSLOT", s, "NODE", to.NodeId));
        await PipelineAsync(to, Commands(), cancellationToken).ConfigureAwait(false);

        // A node that just turned replica (replica migration of a drained primary) refuses SETSLOT; it follows
        // its new primary anyway, so that refusal is not an error.
        static bool TurnedReplica(string error) => error.Contains("only with masters", StringComparison.OrdinalIgnoreCase);
        if (from.IsReachable)
        {
            await PipelineAsync(from, Commands(), cancellationToken, TurnedReplica).ConfigureAwait(false);
        }

        var view = await ViewAsync(to, cancellationToken).ConfigureAwait(false);
        var others = PrimariesIn(view).Where(n => n != to && n != from && n.IsReachable);
        await Task.WhenAll(others.Select(n => PipelineAsync(n, Commands(), cancellationToken, TurnedReplica))).ConfigureAwait(false);
    }

    private async Task MigrateAllKeysAsync(int slot, LocalRedisNode from, LocalRedisNode to, CancellationToken cancellationToken)
    {
        while (true)
        {
            var keys = await RunAsync(from, cancellationToken, "CLUSTER", "GETKEYSINSLOT", slot.ToString(CultureInfo.InvariantCulture), KeysPerMigrate.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            if (keys.Items is not { Length: > 0 } items)
            {
                return;
            }

            await MigrateAsync(from, to, items.Select(k => (object)k.Bytes!).ToArray(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task MigrateAsync(LocalRedisNode from, LocalRedisNode to, object[] keys, CancellationToken cancellationToken)
    {
        var args = new List<object> { "MIGRATE", to.Host, to.Port.ToString(CultureInfo.InvariantCulture), string.Empty, "0", "5000", "REPLACE" };
        if (_options.DefaultUserPassword is not null)
        {
            args.Add("AUTH");
            args.Add(_options.DefaultUserPassword);
        }

        args.Add("KEYS");
        args.AddRange(keys);
        await RunAsync(from, cancellationToken, [.. args]).ConfigureAwait(false);
    }

    /// <summary>Pipelines commands on one node; any error reply throws.</summary>
    private async Task<RespReply[]> PipelineAsync(LocalRedisNode node, IEnumerable<object[]> commands, CancellationToken cancellationToken, Func<string, bool>? tolerated = null)
    {
        var list = commands.ToArray();
        var replies = await node.Client.ExecuteManyAsync(list, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < replies.Length; i++)
        {
            if (replies[i].IsError && tolerated?.Invoke(replies[i].Text!) != true)
            {
                throw new LocalRedisCommandException(node.Endpoint, CommandText.Describe(list[i]), replies[i].Text!);
            }
        }

        return replies;
    }

    private static object[] Cmd(params object[] args) => args;
}
