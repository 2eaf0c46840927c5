using System.Collections.Concurrent;
using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;
using Keyslot.Topology;
using Microsoft.Extensions.Logging;

namespace Keyslot.PubSub;

/// <summary>
/// The client's pub/sub: which server-side subscriptions it needs (one per channel, pattern or shard channel, however
/// many subscriptions share it; one per primary for every-primary patterns), where each is held, and one loop that
/// makes what is held match what is needed. Anything that changes either side wakes the loop: a subscribe or a
/// dispose, a lost subscriber connection, a server-side unsubscribe (a shard channel's slot moved), a MOVED answer, a
/// new slot map. Classic channels and patterns live on one node the hub picks (any node hears every PUBLISH) and move
/// when it fails; shard channels live on their slot's primary; every-primary patterns on each primary.
/// Subscriber connections (one per node, <see cref="ConnectionRole.Subscriber"/>) carry only (un)subscribe commands,
/// sent untracked; the hub keeps per connection the commands it sent, in order, to match each confirmation or error
/// to its command. Messages are handed to the subscriptions' buffers on the read loop, which never runs user code.
/// </summary>
internal sealed partial class PubSubHub : IPushHandler, IAsyncDisposable
{
    private static readonly long AvoidTicks = 5 * Stopwatch.Frequency;

    private readonly Router _router;
    private readonly ILogger _logger;
    private readonly int _bufferSize;
    private readonly TimeSpan _connectTimeout;
    private readonly object _sync = new();
    private readonly ConcurrentDictionary<EntryKey, ChannelEntry> _entries = new();
    private readonly Dictionary<string, SubscriberSet> _everyPrimary = new(StringComparer.Ordinal);
    private readonly Dictionary<NodeConnection, SubscriberLink> _links = new();
    private readonly HashSet<NodeConnector> _watched = [];
    private readonly Dictionary<NodeEndpoint, long> _avoidUntil = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private NodeEndpoint? _classicNode;
    private Task? _loop;
    private bool _disposed;

    public PubSubHub(Router router, int bufferSize, TimeSpan connectTimeout, ILogger logger)
    {
        _router = router;
        _bufferSize = bufferSize;
        _connectTimeout = connectTimeout;
        _logger = logger;
        router.TopologyChanged += Signal;
    }

    private enum SentKind : byte
    {
        Subscribe,
        Unsubscribe,
        Ping,
    }

    /// <summary>A command the hub wrote on a subscriber connection, awaiting its answer; a subscribe knows the very entry it was sent for.</summary>
    private readonly record struct SentCommand(SentKind Kind, EntryKey Key, ChannelEntry? Entry);

    /// <summary>
    /// What the hub keeps per subscriber connection: the commands it wrote, in order, and its liveness probe (a PING
    /// every second while idle; one unanswered for the command timeout means the node is frozen or cut off, and the
    /// connection is closed so that its subscriptions move).
    /// </summary>
    private sealed class SubscriberLink
    {
        public readonly Queue<SentCommand> Sent = new();
        public long PingSentAt;
        public long LastPingAt;
    }

    /// <summary>Subscribes and completes once the server confirmed it (every current primary, for <see cref="SubscriptionKind.EveryPrimary"/>).</summary>
    public async Task<ChannelSubscription> SubscribeAsync(SubscriptionKind kind, string name, Action<ChannelMessage>? handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var subscription = new ChannelSubscription(this, kind, name, _bufferSize, handler, _logger);
        Task confirmed;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
            confirmed = Register(subscription);
            _loop ??= BackgroundWork.Run(RunAsync);
        }
        Signal();
        try
        {
            await confirmed.WaitAsync(_router.CommandTimeout + _connectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw new RedisTimeoutException(CommandOf(kind, unsubscribe: false), default, kind == SubscriptionKind.ShardChannel ? KeySlot.Of(name) : -1,
                _router.CommandTimeout + _connectTimeout, 0, "the subscription was not confirmed in time", ex);
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        subscription.StartHandler();
        return subscription;
    }

    /// <summary>Adds the subscription to what is needed; returns what its confirmation waits for.</summary>
    private Task Register(ChannelSubscription subscription)
    {
        string name = subscription.Name;
        if (subscription.Kind == SubscriptionKind.EveryPrimary)
        {
            if (_entries.ContainsKey(new EntryKey(SubscriptionKind.Pattern, name, default))) throw SamePattern(name);
            if (!_everyPrimary.TryGetValue(name, out SubscriberSet? set)) _everyPrimary[name] = set = new SubscriberSet();
            set.Add(subscription);
            SyncEveryPrimary();
            var pending = new List<Task>();
            foreach (ChannelEntry entry in _entries.Values)
            {
                if (entry.Key.Kind == SubscriptionKind.EveryPrimary && entry.Key.Name == name && entry.State != EntryState.Active) pending.Add(entry.WhenConfirmed());
            }
            return Task.WhenAll(pending);
        }
        if (subscription.Kind == SubscriptionKind.Pattern && _everyPrimary.ContainsKey(name)) throw SamePattern(name);
        var key = new EntryKey(subscription.Kind, name, default);
        if (!_entries.TryGetValue(key, out ChannelEntry? existing))
        {
            existing = new ChannelEntry(key, new SubscriberSet(), subscription.Kind == SubscriptionKind.ShardChannel ? KeySlot.Of(name) : -1);
            _entries[key] = existing;
        }
        existing.Subscribers.Add(subscription);
        return existing.State == EntryState.Active ? Task.CompletedTask : existing.WhenConfirmed();
    }

    private static ArgumentException SamePattern(string pattern) => new(
        $"The pattern \"{pattern}\" is subscribed both on every primary and as a classic pattern; a node holds one subscription per pattern, so the two would end each other's. Subscribe it one way.",
        nameof(pattern));

    /// <summary>A subscription was disposed: it no longer needs its server-side subscription.</summary>
    public void Remove(ChannelSubscription subscription)
    {
        lock (_sync)
        {
            if (subscription.Kind == SubscriptionKind.EveryPrimary)
            {
                // An emptied set stays until the loop has unsubscribed its entries: a subscribe of the same pattern
                // before that reuses it (and its held subscriptions) instead of racing their removal.
                if (_everyPrimary.TryGetValue(subscription.Name, out SubscriberSet? set)) set.Remove(subscription);
            }
            else if (_entries.TryGetValue(new EntryKey(subscription.Kind, subscription.Name, default), out ChannelEntry? entry))
            {
                entry.Subscribers.Remove(subscription);
            }
        }
        Signal();
    }

    /// <summary>Wakes the loop; cheap and safe from any thread, the read loops included.</summary>
    public void Signal()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // another thread woke it at the same moment
            }
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // Settled: look again every second all the same; something to do: every 100 ms (backoffs, confirmations).
                await _wake.WaitAsync(Settled() ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(100), _stop.Token).ConfigureAwait(false);
                await ReconcileAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever it was, the loop must go on: it is the only thing that keeps the subscriptions held.
                Log.SubscriptionLoopFailed(_logger, ex);
            }
        }
    }

    private bool Settled()
    {
        foreach (ChannelEntry entry in _entries.Values)
        {
            if (entry.State != EntryState.Active) return false;
        }
        return true;
    }

    /// <summary>One pass: decide under the lock what to send where, then connect and send (connecting outside the lock).</summary>
    private async Task ReconcileAsync()
    {
        var subscribes = new Dictionary<NodeEndpoint, List<ChannelEntry>>();
        bool needRefresh = false;
        List<NodeConnection>? dueForRenewal;
        lock (_sync)
        {
            long now = Stopwatch.GetTimestamp();
            ProbeLinks(now);
            FinishHandovers(now);
            dueForRenewal = DueForRenewal(now);
            SyncEveryPrimary();
            foreach (ChannelEntry entry in _entries.Values)
            {
                if (!StillNeeded(entry))
                {
                    // Held or still being subscribed there: ended there (a late confirmation would leave it held).
                    if (entry.Connection is { IsHealthy: true } held) SendTracked(held, SentKind.Unsubscribe, entry.Key, null);
                    _entries.TryRemove(entry.Key, out _);
                    entry.Confirmed(); // a subscribe waiting for a primary that left the map has nothing more to wait for
                    continue;
                }
                NodeEndpoint? desired = DesiredNode(entry, now);
                if (desired is not { } target)
                {
                    needRefresh = true;
                    continue;
                }
                if (entry.State == EntryState.Active)
                {
                    if (entry.Connection is { IsHealthy: true } on && on.Endpoint.Equals(target)) continue;
                    // Its connection is gone, or it should be elsewhere now (its slot moved, the classic node changed).
                    if (entry.Connection is { IsHealthy: true } stale) SendTracked(stale, SentKind.Unsubscribe, entry.Key, null);
                    MarkLost(entry, now, entry.Connection is { IsHealthy: true } ? "it belongs on " + target + " now" : "its connection was lost");
                }
                else if (entry.State == EntryState.Pending)
                {
                    if (entry.Connection is null) continue; // being connected by this loop's previous pass
                    if (entry.Connection.IsHealthy && now - entry.SentAt < _router.CommandTimeoutTicks) continue;
                    // Not confirmed within the command timeout on a connection that looks alive: the node is frozen or
                    // cut off. Closing the connection moves everything it held, and no late answer can come from it.
                    if (entry.Connection.IsHealthy) entry.Connection.Abort(new RedisConnectionException($"{entry.Connection.Endpoint} did not confirm a subscription in time.", entry.Connection.Endpoint));
                    if (entry.Key.Kind is SubscriptionKind.Channel or SubscriptionKind.Pattern) Avoid(entry.Connection.Endpoint, now);
                    MarkLost(entry, now, "not confirmed in time");
                }
                // A backoff holds it for the node that failed; a new map that names another node ends the wait at once.
                if (now < entry.RetryAt && target.Equals(entry.RetryNode)) continue;
                entry.State = EntryState.Pending;
                entry.SentAt = now;
                entry.Connection = null;
                if (!subscribes.TryGetValue(target, out List<ChannelEntry>? group)) subscribes[target] = group = [];
                group.Add(entry);
            }
            // Emptied every-primary sets go once their entries are gone (see Remove).
            foreach (string pattern in new List<string>(_everyPrimary.Keys))
            {
                if (_everyPrimary[pattern].Items.Length == 0) _everyPrimary.Remove(pattern);
            }
        }
        if (dueForRenewal is not null) await RenewAsync(dueForRenewal).ConfigureAwait(false);
        if (needRefresh) _router.RequestRefresh("a subscription's slot has no owner");
        foreach ((NodeEndpoint node, List<ChannelEntry> entries) in subscribes)
        {
            NodeConnection? connection = await ConnectAsync(node).ConfigureAwait(false);
            lock (_sync)
            {
                long now = Stopwatch.GetTimestamp();
                foreach (ChannelEntry entry in entries)
                {
                    if (entry.State != EntryState.Pending || entry.Connection is not null) continue; // changed meanwhile
                    if (connection is not null)
                    {
                        entry.Connection = connection;
                        entry.SentAt = now;
                        if (SendTracked(connection, SentKind.Subscribe, entry.Key, entry)) continue;
                    }
                    entry.State = EntryState.Wanted;
                    entry.Connection = null;
                    entry.Failures++;
                    entry.RetryAt = now + (long)(Backoff.Retry(entry.Failures).TotalSeconds * Stopwatch.Frequency);
                    entry.RetryNode = node;
                    if (entry.Key.Kind is SubscriptionKind.Channel or SubscriptionKind.Pattern) Avoid(node, now);
                }
            }
            if (connection is null) _router.RequestRefresh("subscriber connection to " + node + " failed");
        }
    }

    /// <summary>
    /// Forgets closed connections and probes the live ones: a PING a second while nothing else is outstanding; a PING
    /// unanswered for the command timeout closes the connection (a frozen or cut-off node answers nothing, and its
    /// socket may stay open for minutes).
    /// </summary>
    private void ProbeLinks(long now)
    {
        foreach (KeyValuePair<NodeConnection, SubscriberLink> pair in new List<KeyValuePair<NodeConnection, SubscriberLink>>(_links))
        {
            (NodeConnection connection, SubscriberLink link) = pair;
            if (!connection.IsHealthy)
            {
                _links.Remove(connection);
                continue;
            }
            if (link.PingSentAt != 0)
            {
                if (now - link.PingSentAt > _router.CommandTimeoutTicks)
                {
                    connection.Abort(new RedisConnectionException($"{connection.Endpoint} did not answer a PING on its subscriber connection in time.", connection.Endpoint));
                }
                continue;
            }
            if (now - link.LastPingAt >= Stopwatch.Frequency && SendTracked(connection, SentKind.Ping, default, null))
            {
                link.PingSentAt = now;
                link.LastPingAt = now;
            }
        }
    }

    /// <summary>Every-primary patterns: an entry per current primary (made when missing); entries of nodes no longer primary are dropped by <see cref="StillNeeded"/>.</summary>
    private void SyncEveryPrimary()
    {
        if (_everyPrimary.Count == 0) return;
        SlotMap map = _router.CurrentMap;
        foreach ((string pattern, SubscriberSet set) in _everyPrimary)
        {
            if (set.Items.Length == 0) continue; // emptied: its entries are being unsubscribed
            foreach (ClusterShard shard in map.Shards)
            {
                var key = new EntryKey(SubscriptionKind.EveryPrimary, pattern, shard.Primary.Endpoint);
                if (!_entries.ContainsKey(key)) _entries[key] = new ChannelEntry(key, set, -1);
            }
        }
    }

    private bool StillNeeded(ChannelEntry entry)
    {
        if (entry.Subscribers.Items.Length == 0) return false;
        if (entry.Key.Kind != SubscriptionKind.EveryPrimary) return true;
        if (!_everyPrimary.TryGetValue(entry.Key.Name, out SubscriberSet? set) || !ReferenceEquals(set, entry.Subscribers)) return false;
        foreach (ClusterShard shard in _router.CurrentMap.Shards)
        {
            if (shard.Primary.Endpoint.Equals(entry.Key.Node)) return true;
        }
        return false;
    }

    /// <summary>Where an entry should be held now; null when that is not known yet (no map, no owner).</summary>
    private NodeEndpoint? DesiredNode(ChannelEntry entry, long now) => entry.Key.Kind switch
    {
        SubscriptionKind.ShardChannel => _router.PrimaryConnectorFor(entry.Slot)?.Endpoint,
        SubscriptionKind.EveryPrimary => entry.Key.Node,
        _ => ClassicNode(now),
    };

    /// <summary>The node that holds classic channels and patterns: kept while it works, else a primary not failed recently, picked at random.</summary>
    private NodeEndpoint? ClassicNode(long now)
    {
        SlotMap map = _router.CurrentMap;
        // Kept while it is a primary that answers: a failed or demoted node stays listed in the map, but should not hold them.
        if (_classicNode is { } current && map.OwnsSlots(current) && !IsAvoided(current, now)) return current;
        IReadOnlyList<ClusterShard> shards = map.Shards;
        if (shards.Count == 0) return null;
        int start = Random.Shared.Next(shards.Count);
        for (int i = 0; i < shards.Count; i++)
        {
            NodeEndpoint candidate = shards[(start + i) % shards.Count].Primary.Endpoint;
            if (IsAvoided(candidate, now)) continue;
            _classicNode = candidate;
            return candidate;
        }
        return _classicNode = shards[start].Primary.Endpoint; // all failed recently: try one anyway
    }

    private bool IsAvoided(NodeEndpoint node, long now) => _avoidUntil.TryGetValue(node, out long until) && now < until;

    private void Avoid(NodeEndpoint node, long now)
    {
        _avoidUntil[node] = now + AvoidTicks;
        if (_classicNode is { } current && current.Equals(node)) _classicNode = null;
    }

    private async Task<NodeConnection?> ConnectAsync(NodeEndpoint node)
    {
        try
        {
            NodeConnector connector = _router.GetConnector(node, ConnectionRole.Subscriber, this);
            lock (_sync)
            {
                if (_watched.Add(connector)) connector.ConnectionLost += OnConnectionLost;
            }
            return await connector.ConnectAsync(_stop.Token).WaitAsync(_connectTimeout, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.SubscriberConnectFailed(_logger, node, ex.Message);
            return null;
        }
    }

    /// <summary>Writes (P/S)(UN)SUBSCRIBE untracked and remembers it, in wire order, for its answer. False when the connection is closed.</summary>
    private static readonly RespCommand Ping = RespCommand.Create("PING");

    /// <summary>
    /// Writes (P/S)(UN)SUBSCRIBE or PING untracked and remembers it, in wire order, for its answer. False when the
    /// connection is closed.
    /// </summary>
    private bool SendTracked(NodeConnection connection, SentKind kind, EntryKey key, ChannelEntry? entry)
    {
        RespCommand command = kind == SentKind.Ping ? Ping : RespCommand.Create(CommandOf(key.Kind, kind == SentKind.Unsubscribe), key.Name);
        if (connection.SendUntracked(command) != SendResult.Sent) return false;
        // Under the hub's lock, which the read loop takes to match answers: the answer cannot be handled before this.
        if (!_links.TryGetValue(connection, out SubscriberLink? link)) _links[connection] = link = new SubscriberLink { LastPingAt = Stopwatch.GetTimestamp() };
        link.Sent.Enqueue(new SentCommand(kind, key, entry));
        return true;
    }

    private static string CommandOf(SubscriptionKind kind, bool unsubscribe) => (kind, unsubscribe) switch
    {
        (SubscriptionKind.Channel, false) => "SUBSCRIBE",
        (SubscriptionKind.Channel, true) => "UNSUBSCRIBE",
        (SubscriptionKind.ShardChannel, false) => "SSUBSCRIBE",
        (SubscriptionKind.ShardChannel, true) => "SUNSUBSCRIBE",
        (_, false) => "PSUBSCRIBE",
        (_, true) => "PUNSUBSCRIBE",
    };

    private void MarkLost(ChannelEntry entry, long now, string reason)
    {
        if (entry.State == EntryState.Active && entry.LostAt == 0)
        {
            entry.LostAt = now;
            Log.SubscriptionLost(_logger, entry.Key.Kind, entry.Key.Name, entry.Connection?.Endpoint, reason);
        }
        entry.State = EntryState.Wanted;
        entry.Connection = null;
    }

    private void OnConnectionLost(NodeConnector connector, Exception cause)
    {
        lock (_sync)
        {
            long now = Stopwatch.GetTimestamp();
            foreach (NodeConnection connection in new List<NodeConnection>(_links.Keys))
            {
                if (!connection.IsHealthy) _links.Remove(connection);
            }
            foreach (ChannelEntry entry in _entries.Values)
            {
                if (entry.Previous is { IsHealthy: false }) EndHandover(entry);
                if (entry.Connection is { IsHealthy: false }) MarkLost(entry, now, cause.Message);
            }
            if (_classicNode is { } classic && classic.Equals(connector.Endpoint)) Avoid(classic, now);
        }
        Signal();
    }

    /// <summary>A frame from a subscriber connection, on its read loop: messages to the buffers, answers matched to their commands.</summary>
    public void OnPush(NodeConnection connection, ref RespReader reader)
    {
        PubSubFrame frame = PubSubFrame.Read(ref reader);
        switch (frame.Kind)
        {
            case FrameKind.Other:
                return;
            case FrameKind.Message:
                Deliver(connection, new EntryKey(SubscriptionKind.Channel, frame.Channel!, default), new ChannelMessage(frame.Channel!, null, frame.Payload!));
                return;
            case FrameKind.ShardMessage:
                Deliver(connection, new EntryKey(SubscriptionKind.ShardChannel, frame.Channel!, default), new ChannelMessage(frame.Channel!, null, frame.Payload!));
                return;
            case FrameKind.PatternMessage:
                var message = new ChannelMessage(frame.Channel!, frame.Pattern, frame.Payload!);
                Deliver(connection, new EntryKey(SubscriptionKind.Pattern, frame.Pattern!, default), message);
                Deliver(connection, new EntryKey(SubscriptionKind.EveryPrimary, frame.Pattern!, connection.Endpoint), message);
                return;
        }
        lock (_sync)
        {
            HandleAnswer(connection, frame);
        }
    }

    /// <summary>
    /// Hands a message to the entry's subscriptions when it came on the connection the entry is held (or being
    /// subscribed) on: a connection the entry has left (a classic channel moved off a node that is still up) would
    /// deliver it twice.
    /// </summary>
    private void Deliver(NodeConnection connection, EntryKey key, in ChannelMessage message)
    {
        if (!_entries.TryGetValue(key, out ChannelEntry? entry)) return;
        if (entry.Previous is not null)
        {
            DeliverDuringHandover(entry, connection, message);
            return;
        }
        if (!ReferenceEquals(entry.Connection, connection)) return;
        foreach (ChannelSubscription subscription in entry.Subscribers.Items) subscription.Deliver(message);
    }

    private void HandleAnswer(NodeConnection connection, in PubSubFrame frame)
    {
        bool unsubscribed = frame.Kind is FrameKind.Unsubscribed or FrameKind.PatternUnsubscribed or FrameKind.ShardUnsubscribed;
        if (!_links.TryGetValue(connection, out SubscriberLink? link) || link.Sent.Count == 0)
        {
            if (unsubscribed) EndedByServer(connection, frame);
            return;
        }
        SentCommand head = link.Sent.Peek();
        if (frame.Kind == FrameKind.Pong)
        {
            if (head.Kind != SentKind.Ping) return; // not ours (cannot happen: only the hub writes here)
            link.Sent.Dequeue();
            link.PingSentAt = 0;
            return;
        }
        if (frame.Kind == FrameKind.Error)
        {
            link.Sent.Dequeue();
            if (head.Kind == SentKind.Subscribe) Refused(connection, head.Entry!, frame.Error!);
            return;
        }
        SubscriptionKind headKind = head.Key.Kind == SubscriptionKind.EveryPrimary ? SubscriptionKind.Pattern : head.Key.Kind;
        if (head.Kind == SentKind.Ping || (head.Kind == SentKind.Unsubscribe) != unsubscribed || headKind != PubSubFrame.SubscriptionOf(frame.Kind) || head.Key.Name != frame.Channel)
        {
            if (unsubscribed) EndedByServer(connection, frame); // not ours: the server ended a subscription by itself
            return;
        }
        link.Sent.Dequeue();
        if (head.Kind == SentKind.Unsubscribe)
        {
            // The old connection of a handover: everything it was sent before this answer has been delivered.
            if (_entries.TryGetValue(head.Key, out ChannelEntry? handed) && ReferenceEquals(handed.Previous, connection)) EndHandover(handed);
            return;
        }
        ChannelEntry entry = head.Entry!;
        bool live = _entries.TryGetValue(head.Key, out ChannelEntry? current) && ReferenceEquals(current, entry) && ReferenceEquals(entry.Connection, connection);
        if (!live)
        {
            // Confirmed for an entry that has since gone or moved: unless something still wants it here (a newer
            // subscribe queued behind, or the entry now held here), the server would keep it for nothing.
            if (!WantedOn(connection, link, head.Key)) SendTracked(connection, SentKind.Unsubscribe, head.Key, null);
            return;
        }
        entry.State = EntryState.Active;
        if (entry.Previous is { } previous && !ReferenceEquals(previous, connection))
        {
            // Held on both now: the old one is unsubscribed, and delivers until that is confirmed.
            if (!previous.IsHealthy || !SendTracked(previous, SentKind.Unsubscribe, entry.Key, null)) EndHandover(entry);
        }
        if (entry.LostAt != 0)
        {
            TimeSpan gap = Stopwatch.GetElapsedTime(entry.LostAt);
            entry.LostAt = 0;
            Log.SubscriptionRestored(_logger, entry.Key.Kind, entry.Key.Name, connection.Endpoint, gap.TotalMilliseconds);
            foreach (ChannelSubscription subscription in entry.Subscribers.Items) subscription.Restored(gap);
        }
        entry.Confirmed();
    }

    /// <summary>True when the server-side subscription <paramref name="key"/> on this connection is still wanted: its entry is held or sent here, or a subscribe for it is queued.</summary>
    private bool WantedOn(NodeConnection connection, SubscriberLink link, EntryKey key)
    {
        if (_entries.TryGetValue(key, out ChannelEntry? entry) && ReferenceEquals(entry.Connection, connection)) return true;
        foreach (SentCommand sent in link.Sent)
        {
            if (sent.Kind != SentKind.Ping && sent.Key == key) return true; // a later (un)subscribe settles it
        }
        return false;
    }

    /// <summary>The server unsubscribed the connection by itself: a shard channel's slot moved away (or was deleted).</summary>
    private void EndedByServer(NodeConnection connection, in PubSubFrame frame)
    {
        var key = new EntryKey(PubSubFrame.SubscriptionOf(frame.Kind), frame.Channel ?? "", default);
        if (!_entries.TryGetValue(key, out ChannelEntry? entry) || !ReferenceEquals(entry.Connection, connection)) return;
        MarkLost(entry, Stopwatch.GetTimestamp(), "the server ended it (its slot moved)");
        _router.RequestRefresh("server-side unsubscribe");
        Signal();
    }

    /// <summary>A (P/S)SUBSCRIBE was answered with an error: follow a MOVED, wait out a busy cluster, or report a refusal.</summary>
    private void Refused(NodeConnection connection, ChannelEntry entry, ServerError error)
    {
        EntryKey key = entry.Key;
        if (!_entries.TryGetValue(key, out ChannelEntry? current) || !ReferenceEquals(current, entry) || !ReferenceEquals(entry.Connection, connection)) return;
        long now = Stopwatch.GetTimestamp();
        entry.State = EntryState.Wanted;
        entry.Connection = null;
        string command = CommandOf(key.Kind, unsubscribe: false);
        if (error.Kind == RedisErrorKind.Moved && entry.Slot >= 0)
        {
            _router.FollowError(new RetryState(), error, connection.Endpoint, command, entry.Slot); // fixes the slot in the map, asks for a refresh
            // Followed at once the first times; nodes that disagree (MOVED back and forth mid-reshard) are waited out.
            if (++entry.Failures > 3)
            {
                entry.RetryAt = now + (long)(Backoff.Retry(entry.Failures - 3).TotalSeconds * Stopwatch.Frequency);
                entry.RetryNode = connection.Endpoint;
            }
        }
        else
        {
            entry.Failures++;
            entry.RetryAt = now + (long)(Backoff.Retry(entry.Failures).TotalSeconds * Stopwatch.Frequency);
            entry.RetryNode = connection.Endpoint;
            bool transient = error.Kind is RedisErrorKind.TryAgain or RedisErrorKind.ClusterDown or RedisErrorKind.Loading or RedisErrorKind.MasterDown or RedisErrorKind.Ask;
            if (!transient && !entry.EverConfirmed)
            {
                entry.Refused(new RedisServerException(error.Kind, error.Message, command, connection.Endpoint)); // its SubscribeAsync fails with it
            }
            Log.SubscriptionRefused(_logger, key.Kind, key.Name, connection.Endpoint, error.Message);
        }
        Signal();
    }

    public async ValueTask DisposeAsync()
    {
        ChannelSubscription[] all;
        lock (_sync)
        {
            if (_disposed) return;
            _disposed = true;
            var subscriptions = new HashSet<ChannelSubscription>();
            foreach (ChannelEntry entry in _entries.Values)
            {
                subscriptions.UnionWith(entry.Subscribers.Items);
                entry.Refused(new ObjectDisposedException(nameof(ClusterClient))); // a subscribe still waiting ends now
            }
            all = [.. subscriptions];
        }
        _router.TopologyChanged -= Signal;
        _stop.Cancel();
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }
        foreach (ChannelSubscription subscription in all) subscription.Complete();
        _stop.Dispose();
    }
}
