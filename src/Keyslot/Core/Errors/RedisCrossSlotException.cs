namespace Keyslot;

/// <summary>
/// A command's keys map to different hash slots, so no single node can run it. Raised before anything is sent.
/// Use a hashtag (<c>{user42}:a</c>, <c>{user42}:b</c>) to keep related keys in one slot.
/// </summary>
public sealed class RedisCrossSlotException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisCrossSlotException(string command, int firstSlot, int otherSlot)
        : base($"CROSSSLOT: the keys of {command} map to different hash slots ({firstSlot} and {otherSlot}); nothing was sent. Use a {{hashtag}} to keep keys in one slot.")
    {
        Command = command;
        FirstSlot = firstSlot;
        OtherSlot = otherSlot;
    }

    /// <summary>The command's name.</summary>
    public string Command { get; }

    /// <summary>The slot of the first key.</summary>
    public int FirstSlot { get; }

    /// <summary>The first slot found that differs from <see cref="FirstSlot"/>.</summary>
    public int OtherSlot { get; }
}
