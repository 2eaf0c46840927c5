namespace Keyslot.SideBySide;

/// <summary>The pub/sub loop of the side-by-side run (<c>--pubsub</c>), written with each client's own API.</summary>
internal interface IPubSubClient
{
    string Name { get; }

    /// <summary>
    /// Subscribes to <paramref name="channel"/> with a handler that counts, publishes <paramref name="count"/> messages
    /// (16 bytes each) with <paramref name="concurrency"/> publishes in flight, and returns once every message has
    /// been received (or throws after <paramref name="limit"/>). The subscription is ended afterwards.
    /// </summary>
    Task RunPublishReceiveAsync(string channel, int count, int concurrency, TimeSpan limit);
}
