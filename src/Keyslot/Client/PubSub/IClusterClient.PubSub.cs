namespace Keyslot;

/// <summary>
/// Pub/sub. Each subscribe call returns a <see cref="ChannelSubscription"/> once the server has confirmed it: read its
/// messages from <see cref="ChannelSubscription.Reader"/> (or <see cref="ChannelSubscription.ReadAllAsync"/>), or pass
/// a handler, which runs on the thread pool one message at a time (never on a connection's read loop; its exceptions
/// are logged and counted, and the subscription goes on). Messages of one channel arrive in the order its node sent
/// them; each subscription buffers up to <see cref="ClusterOptions.SubscriptionBufferSize"/> and drops (and counts)
/// what arrives beyond. Subscriptions are kept while the client lives: after a lost connection, a failover or a
/// shard channel's slot move they are made again by themselves. Dispose a subscription to unsubscribe. Subscriptions
/// are the client's alone (not on batches or transactions).
/// </summary>
public partial interface IClusterClient
{
    /// <summary>SUBSCRIBE: every message PUBLISHed to <paramref name="channel"/> on any node of the cluster.</summary>
    Task<ChannelSubscription> SubscribeAsync(string channel, CancellationToken cancellationToken = default);

    /// <summary>SUBSCRIBE with a handler for each message.</summary>
    Task<ChannelSubscription> SubscribeAsync(string channel, Action<ChannelMessage> handler, CancellationToken cancellationToken = default);

    /// <summary>PSUBSCRIBE: every message PUBLISHed to a channel matching the glob <paramref name="pattern"/>.</summary>
    Task<ChannelSubscription> PatternSubscribeAsync(string pattern, CancellationToken cancellationToken = default);

    /// <summary>PSUBSCRIBE with a handler for each message.</summary>
    Task<ChannelSubscription> PatternSubscribeAsync(string pattern, Action<ChannelMessage> handler, CancellationToken cancellationToken = default);

    /// <summary>
    /// SSUBSCRIBE (Redis 7+): every message SPUBLISHed to the shard channel <paramref name="channel"/>, which hashes to
    /// a slot like a key (hashtags included) and is held by that slot's primary; the subscription follows the slot
    /// (MOVED, the server's unsubscribe when the slot migrates, failover).
    /// </summary>
    Task<ChannelSubscription> ShardSubscribeAsync(string channel, CancellationToken cancellationToken = default);

    /// <summary>SSUBSCRIBE with a handler for each message.</summary>
    Task<ChannelSubscription> ShardSubscribeAsync(string channel, Action<ChannelMessage> handler, CancellationToken cancellationToken = default);

    /// <summary>
    /// PSUBSCRIBE to <paramref name="pattern"/> on every primary, for keyspace and keyevent notifications
    /// (<c>__keyspace@0__:user:*</c>, <c>__keyevent@0__:expired</c>): each node reports only its own keys. Primaries
    /// that appear later (a failover, a new shard) are subscribed too. The nodes must have notifications enabled
    /// (<c>notify-keyspace-events</c>).
    /// </summary>
    Task<ChannelSubscription> KeyspaceSubscribeAsync(string pattern, CancellationToken cancellationToken = default);

    /// <summary>Keyspace notifications with a handler for each.</summary>
    Task<ChannelSubscription> KeyspaceSubscribeAsync(string pattern, Action<ChannelMessage> handler, CancellationToken cancellationToken = default);

    /// <summary>
    /// PUBLISH: sends <paramref name="message"/> to <paramref name="channel"/>, through the primary of the channel's
    /// slot (so one channel's messages, published one after another, arrive in that order); returns how many clients
    /// received it on that node (subscribers held by other nodes are not counted).
    /// </summary>
    ValueTask<long> PublishAsync(string channel, RedisArgument message, CancellationToken cancellationToken = default);

    /// <summary>SPUBLISH (Redis 7+): sends to the shard channel, on its slot's primary; returns how many clients received it.</summary>
    ValueTask<long> ShardPublishAsync(string channel, RedisArgument message, CancellationToken cancellationToken = default);
}
