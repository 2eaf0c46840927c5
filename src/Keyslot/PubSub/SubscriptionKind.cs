namespace Keyslot;

/// <summary>What a <see cref="ChannelSubscription"/> listens to, and so where its server-side subscription lives.</summary>
public enum SubscriptionKind
{
    /// <summary>SUBSCRIBE to a channel: any node hears every PUBLISH in the cluster; one node of the client's choosing holds it.</summary>
    Channel,
    /// <summary>PSUBSCRIBE to a glob pattern of channels, held like <see cref="Channel"/>.</summary>
    Pattern,
    /// <summary>SSUBSCRIBE to a shard channel (Redis 7+): held by the primary of the channel's slot, and moved with the slot.</summary>
    ShardChannel,
    /// <summary>
    /// PSUBSCRIBE to a pattern on every primary (keyspace and keyevent notifications: each node reports only its own
    /// keys), following primaries as they come and go.
    /// </summary>
    EveryPrimary,
}
