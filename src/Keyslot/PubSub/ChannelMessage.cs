using System.Text;

namespace Keyslot;

/// <summary>One message received by a <see cref="ChannelSubscription"/>.</summary>
public readonly struct ChannelMessage
{
    internal ChannelMessage(string channel, string? pattern, byte[] payload)
    {
        Channel = channel;
        Pattern = pattern;
        Payload = payload;
    }

    /// <summary>The channel it was published on.</summary>
    public string Channel { get; }

    /// <summary>The pattern that matched it, for pattern and every-primary subscriptions; null otherwise.</summary>
    public string? Pattern { get; }

    /// <summary>The message as sent, byte for byte.</summary>
    public byte[] Payload { get; }

    /// <summary>The message decoded as UTF-8 text.</summary>
    public string Message => Encoding.UTF8.GetString(Payload);

    /// <inheritdoc/>
    public override string ToString() => $"{Channel}: {Message}";
}
