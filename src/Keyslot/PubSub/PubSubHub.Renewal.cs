using System.Diagnostics;
using Keyslot.Connections;

namespace Keyslot.PubSub;

/// <summary>
/// Renewal of subscriber connections at the maximum connection age, without losing a message: the successor is made
/// (it becomes the connector's current one, so new subscriptions go there), every entry held on the old connection is
/// subscribed on it, and only once the successor confirms is the old one unsubscribed. Until the old one confirms its
/// unsubscribe it keeps delivering, and what the successor receives meanwhile is held back, then delivered after it,
/// so the order is kept. A message published between the two confirmations reaches both connections and is delivered
/// twice (there is no message id to tell the copies apart); none is lost.
/// </summary>
internal sealed partial class PubSubHub
{
    /// <summary>An old subscriber connection whose entries are moving to its successor.</summary>
    private sealed record Handover(NodeConnector Connector, long StartedAt, int Moved);

    private readonly Dictionary<NodeConnection, Handover> _handovers = new(); // under _sync

    /// <summary>Live subscriber connections past their age and not yet being renewed (under the lock); null when none.</summary>
    private List<NodeConnection>? DueForRenewal(long now)
    {
        List<NodeConnection>? due = null;
        foreach (NodeConnection connection in _links.Keys)
        {
            if (connection.IsHealthy && connection.IsDueForRenewal(now) && !_handovers.ContainsKey(connection)) (due ??= []).Add(connection);
        }
        return due;
    }

    /// <summary>Makes each successor (outside the lock), then moves the old connection's entries to it.</summary>
    private async Task RenewAsync(List<NodeConnection> due)
    {
        foreach (NodeConnection old in due)
        {
            NodeConnector connector;
            try
            {
                connector = _router.GetConnector(old.Endpoint, ConnectionRole.Subscriber, this);
            }
            catch (ObjectDisposedException)
            {
                return; // the client is closing
            }
            if (connector.RenewalBackedOff(Stopwatch.GetTimestamp())) continue;
            if (await connector.ReplaceAsync(old).ConfigureAwait(false) is not { } fresh) continue; // the old one goes on; tried again later
            lock (_sync)
            {
                long now = Stopwatch.GetTimestamp();
                int moved = 0;
                foreach (ChannelEntry entry in _entries.Values)
                {
                    if (!ReferenceEquals(entry.Connection, old)) continue;
                    if (entry.State == EntryState.Active) entry.Previous = old; // delivers until the successor holds it
                    entry.State = EntryState.Pending;
                    entry.Connection = fresh;
                    entry.SentAt = now;
                    moved++;
                    if (SendTracked(fresh, SentKind.Subscribe, entry.Key, entry)) continue;
                    entry.State = EntryState.Wanted; // the successor closed already: subscribed again by the loop
                    entry.Connection = null;
                }
                _handovers[old] = new Handover(connector, now, moved);
            }
        }
        Signal();
    }

    /// <summary>
    /// Closes the old connections no entry needs any more (all moved and unsubscribed there), and ends handovers that
    /// overran (twice the command timeout plus the connect timeout: the old connection is then closed regardless).
    /// Under the lock.
    /// </summary>
    private void FinishHandovers(long now)
    {
        if (_handovers.Count == 0) return;
        long limit = 2 * _router.CommandTimeoutTicks + (long)(_connectTimeout.TotalSeconds * Stopwatch.Frequency);
        foreach ((NodeConnection old, Handover handover) in new List<KeyValuePair<NodeConnection, Handover>>(_handovers))
        {
            bool overdue = now - handover.StartedAt > limit || !old.IsHealthy;
            bool needed = false;
            foreach (ChannelEntry entry in _entries.Values)
            {
                if (ReferenceEquals(entry.Previous, old))
                {
                    if (overdue) EndHandover(entry);
                    else needed = true;
                }
                if (ReferenceEquals(entry.Connection, old)) needed = true; // cannot happen: all moved, and new ones go to the successor
            }
            if (!overdue && (needed || AwaitsAnswers(old))) continue;
            _handovers.Remove(old);
            _links.Remove(old);
            _ = handover.Connector.CloseReplacedAsync(old);
            Log.SubscriberConnectionRenewed(_logger, old.Endpoint, handover.Moved, Stopwatch.GetElapsedTime(handover.StartedAt).TotalMilliseconds);
        }
    }

    /// <summary>True while an (un)subscribe written on the connection is unanswered (a PING does not count).</summary>
    private bool AwaitsAnswers(NodeConnection connection)
    {
        if (!_links.TryGetValue(connection, out SubscriberLink? link)) return false;
        foreach (SentCommand sent in link.Sent)
        {
            if (sent.Kind != SentKind.Ping) return true;
        }
        return false;
    }

    /// <summary>The old connection has delivered its last message for the entry: what the successor held back goes out, in order, then live.</summary>
    private static void EndHandover(ChannelEntry entry)
    {
        lock (entry.HandoverSync)
        {
            if (entry.Held is { } held)
            {
                foreach (ChannelMessage message in held)
                {
                    foreach (ChannelSubscription subscription in entry.Subscribers.Items) subscription.Deliver(message);
                }
                entry.Held = null;
            }
            entry.Previous = null; // last: a read loop that sees it waits for the lock, so nothing newer overtakes what was held
        }
    }

    /// <summary>A message while the entry moves: delivered from the old connection, held back from the successor.</summary>
    private static void DeliverDuringHandover(ChannelEntry entry, NodeConnection connection, in ChannelMessage message)
    {
        lock (entry.HandoverSync)
        {
            if (entry.Previous is { } previous && ReferenceEquals(previous, connection))
            {
                foreach (ChannelSubscription subscription in entry.Subscribers.Items) subscription.Deliver(message);
            }
            else if (ReferenceEquals(entry.Connection, connection))
            {
                if (entry.Previous is not null) (entry.Held ??= []).Add(message);
                else foreach (ChannelSubscription subscription in entry.Subscribers.Items) subscription.Deliver(message);
            }
        }
    }
}
