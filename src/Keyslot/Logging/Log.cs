using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.PubSub;
using Microsoft.Extensions.Logging;

namespace Keyslot;

/// <summary>
/// Every log line Keyslot writes, source-generated (no boxing, no formatting unless the level is on), with stable event IDs.
/// Never pass argument values or passwords here.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connected to {Endpoint} (RESP{Protocol}, TLS {Tls})")]
    public static partial void Connected(ILogger logger, NodeEndpoint endpoint, int protocol, bool tls);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Connection to {Endpoint} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, NodeEndpoint endpoint, string reason, Exception? exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Connection to {Endpoint} closed by the client")]
    public static partial void ConnectionClosed(ILogger logger, NodeEndpoint endpoint);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Topology changed ({Reason}): {Shards} shards, {Nodes} nodes, {SlotsMoved} slots changed owner")]
    public static partial void TopologyChanged(ILogger logger, string reason, int shards, int nodes, int slotsMoved);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Topology unchanged after refresh ({Reason}) from {Source}")]
    public static partial void TopologyUnchanged(ILogger logger, string reason, NodeEndpoint source);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Topology refresh from {Source} failed: {Reason}")]
    public static partial void TopologySourceFailed(ILogger logger, NodeEndpoint source, string reason, Exception? exception);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Topology refresh ({Reason}) failed on every known node and the configuration endpoints")]
    public static partial void TopologyRefreshFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "MOVED: slot {Slot} is now served by {Endpoint}")]
    public static partial void Moved(ILogger logger, int slot, NodeEndpoint endpoint);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "ASK: slot {Slot} is migrating; {Command} goes to {Endpoint} once")]
    public static partial void Ask(ILogger logger, int slot, string command, NodeEndpoint endpoint);

    [LoggerMessage(EventId = 22, Level = LogLevel.Debug, Message = "{Command} for slot {Slot} retried after {Error} (attempt {Attempt})")]
    public static partial void Retry(ILogger logger, string command, int slot, RedisErrorKind error, int attempt);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "COMMAND failed ({Reason}); using the built-in command table")]
    public static partial void CommandTableFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Debug, Message = "Command table loaded from the server: {Count} commands")]
    public static partial void CommandTableLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Connecting to {Endpoint} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, NodeEndpoint endpoint, string reason, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "{Endpoint} refused the credentials: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, NodeEndpoint endpoint, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Slots that changed owner: {Moves}")]
    public static partial void SlotsMoved(ILogger logger, string moves);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "{Command} for slot {Slot} gave up after the redirect limit; nodes tried: {Nodes}")]
    public static partial void RedirectLimit(ILogger logger, string command, int slot, string nodes);

    [LoggerMessage(EventId = 24, Level = LogLevel.Debug, Message = "A command to {Endpoint} timed out ({InFlight} in flight there); the topology is looked at again")]
    public static partial void CommandTimedOut(ILogger logger, NodeEndpoint endpoint, int inFlight);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Connecting eagerly failed (the node's first command will try again): {Reason}")]
    public static partial void EagerConnectFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 25, Level = LogLevel.Error, Message = "The push handler of a connection to {Endpoint} failed; the push was dropped and the connection goes on")]
    public static partial void PushHandlerFailed(ILogger logger, NodeEndpoint endpoint, Exception exception);

    [LoggerMessage(EventId = 26, Level = LogLevel.Debug, Message = "A push arrived on a {Role} connection to {Endpoint}, which has no push handler; it was dropped (logged once per connection)")]
    public static partial void PushDropped(ILogger logger, NodeEndpoint endpoint, ConnectionRole role);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "{Command} on {Endpoint} goes again (attempt {Attempt}), where the map says: {Reason}")]
    public static partial void BlockingResumed(ILogger logger, string command, NodeEndpoint endpoint, int attempt, string reason);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "The {Kind} subscription {Name} on {Endpoint} was lost ({Reason}); it is made again where it belongs")]
    public static partial void SubscriptionLost(ILogger logger, SubscriptionKind kind, string name, NodeEndpoint? endpoint, string reason);

    [LoggerMessage(EventId = 34, Level = LogLevel.Information, Message = "The {Kind} subscription {Name} is back on {Endpoint} after a gap of {GapMs:0} ms")]
    public static partial void SubscriptionRestored(ILogger logger, SubscriptionKind kind, string name, NodeEndpoint endpoint, double gapMs);

    [LoggerMessage(EventId = 35, Level = LogLevel.Warning, Message = "{Endpoint} refused the {Kind} subscription {Name}: {Error}")]
    public static partial void SubscriptionRefused(ILogger logger, SubscriptionKind kind, string name, NodeEndpoint endpoint, string error);

    [LoggerMessage(EventId = 36, Level = LogLevel.Error, Message = "The handler of the {Kind} subscription {Name} failed; the message was skipped and the subscription goes on")]
    public static partial void SubscriptionHandlerFailed(ILogger logger, SubscriptionKind kind, string name, Exception exception);

    [LoggerMessage(EventId = 37, Level = LogLevel.Debug, Message = "A subscriber connection to {Endpoint} could not be made: {Reason}")]
    public static partial void SubscriberConnectFailed(ILogger logger, NodeEndpoint endpoint, string reason);

    [LoggerMessage(EventId = 38, Level = LogLevel.Error, Message = "A pass of the subscription loop failed; it goes on")]
    public static partial void SubscriptionLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 46, Level = LogLevel.Error, Message = "An application handler of a Keyslot client event threw; the client goes on")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 47, Level = LogLevel.Information, Message = "Synchronous {Command} on {Endpoint} goes again (attempt {Attempt}), where the map says: {Reason}")]
    public static partial void SyncRetried(ILogger logger, string command, NodeEndpoint endpoint, int attempt, string reason);
    [LoggerMessage(EventId = 48, Level = LogLevel.Debug, Message = "Credential {Version} from the credential provider (user {User}, expires {ExpiresAt})")]
    public static partial void CredentialRefreshed(ILogger logger, long version, string user, string expiresAt);

    [LoggerMessage(EventId = 49, Level = LogLevel.Warning, Message = "The credential provider failed ({Failures} in a row), retried with backoff: {ErrorType}: {Reason}")]
    public static partial void CredentialProviderFailed(ILogger logger, int failures, string errorType, string reason);

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "Re-authenticating the {Role} connection to {Endpoint} with credential {Version} failed (attempt {Attempt}), retried with backoff; the connection goes on with its current authentication: {Reason}")]
    public static partial void ReauthenticationFailed(ILogger logger, ConnectionRole role, NodeEndpoint endpoint, long version, int attempt, string reason);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "The {Role} connection to {Endpoint} reached its maximum age and was replaced; the old one closed after {Drained} of its in-flight replies came in ({DrainMs:0} ms)")]
    public static partial void ConnectionRenewed(ILogger logger, ConnectionRole role, NodeEndpoint endpoint, string drained, double drainMs);

    [LoggerMessage(EventId = 52, Level = LogLevel.Warning, Message = "The {Role} connection to {Endpoint} reached its maximum age but its replacement could not be made ({Failures} in a row); the old one goes on, tried again with backoff: {Reason}")]
    public static partial void ConnectionRenewalFailed(ILogger logger, ConnectionRole role, NodeEndpoint endpoint, int failures, string reason);

    [LoggerMessage(EventId = 53, Level = LogLevel.Information, Message = "The {Role} connection to {Endpoint} reached its maximum age between commands and was closed; the next command makes a new one")]
    public static partial void IdleConnectionRenewed(ILogger logger, ConnectionRole role, NodeEndpoint endpoint);

    [LoggerMessage(EventId = 54, Level = LogLevel.Information, Message = "The subscriber connection to {Endpoint} reached its maximum age: {Count} subscriptions moved to its replacement, the old one closed ({HandoverMs:0} ms)")]
    public static partial void SubscriberConnectionRenewed(ILogger logger, NodeEndpoint endpoint, int count, double handoverMs);

    [LoggerMessage(EventId = 55, Level = LogLevel.Information, Message = "{Endpoint} has no cluster mode (cluster-enabled no): it is routed as one shard holding every slot, its replicas and failovers read from ROLE")]
    public static partial void NonClusterServer(ILogger logger, NodeEndpoint endpoint);

    [LoggerMessage(EventId = 56, Level = LogLevel.Warning, Message = "{Endpoint} refused both ROLE and INFO replication ({Reason}): it is taken as a primary without replicas, and a failover is seen only when it refuses a write")]
    public static partial void ReplicationRoleUnreadable(ILogger logger, NodeEndpoint endpoint, string reason);
}
