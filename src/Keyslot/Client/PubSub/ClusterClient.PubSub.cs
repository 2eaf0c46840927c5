using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public Task<ChannelSubscription> SubscribeAsync(string channel, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(SubscriptionKind.Channel, channel, null, cancellationToken);

    /// <inheritdoc/>
    public Task<ChannelSubscription> SubscribeAsync(string channel, Action<ChannelMessage> handler, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(SubscriptionKind.Channel, channel, handler ?? throw new ArgumentNullException(nameof(handler)), cancellationToken);

    /// <inheritdoc/>
    public Task<ChannelSubscription> PatternSubscribeAsync(string pattern, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(SubscriptionKind.Pattern, pattern, null, cancellationToken);

    /// <inheritdoc/>
    public Task<ChannelSubscription> PatternSubscribeAsync(string pattern, Action<ChannelMessage> handler, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(SubscriptionKind.Pattern, pattern, handler ?? throw new ArgumentNullException(nameof(handler)), cancellationToken);

    /// <inheritdoc/>
    public Task<ChannelSubscription> ShardSubscribeAsync(string channel, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(SubscriptionKind.ShardChannel, channel, null, cancellationToken);

    /// <inheritdoc/>
    public Task<ChannelSubscription> ShardSubscribeAsync(string channel, Action<ChannelMessage> handler, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(SubscriptionKind.ShardChannel, channel, handler ?? throw new ArgumentNullException(nameof(handler)), cancellationToken);

    /// <inheritdoc/>
    public Task<ChannelSubscription> KeyspaceSubscribeAsync(string pattern, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(SubscriptionKind.EveryPrimary, pattern, null, cancellationToken);

    /// <inheritdoc/>
    public Task<ChannelSubscription> KeyspaceSubscribeAsync(string pattern, Action<ChannelMessage> handler, CancellationToken cancellationToken = default) =>
        SubscribeCoreAsync(SubscriptionKind.EveryPrimary, pattern, handler ?? throw new ArgumentNullException(nameof(handler)), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> PublishAsync(string channel, RedisArgument message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        // Any node takes a PUBLISH and passes it to every other. It goes to the primary of the channel's slot: one node
        // per channel keeps a channel's messages in the order they were published (two nodes could pass them on in
        // either order), and spreads channels over the shards.
        return Send(new CommandDefinition<long>(RespCommand.Create("PUBLISH", channel, message), KeySlot.Of(channel), CommandFlags.None, ReplyParsers.Int64), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> ShardPublishAsync(string channel, RedisArgument message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        return Send(new CommandDefinition<long>(RespCommand.Create("SPUBLISH", channel, message), KeySlot.Of(channel), CommandFlags.None, ReplyParsers.Int64), cancellationToken);
    }

    private async Task<ChannelSubscription> SubscribeCoreAsync(SubscriptionKind kind, string name, Action<ChannelMessage>? handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ThrowIfDisposed();
        // Where a subscription lives is decided from the slot map: wait for the first one (a client made in the background).
        await _router.WhenRoutableAsync(cancellationToken).ConfigureAwait(false);
        return await _pubSub.SubscribeAsync(kind, name, handler, cancellationToken).ConfigureAwait(false);
    }
}
