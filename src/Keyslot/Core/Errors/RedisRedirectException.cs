namespace Keyslot;

/// <summary>A command was redirected (MOVED/ASK) or told to try again more times than allowed.</summary>
public sealed class RedisRedirectException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisRedirectException(string command, int slot, IReadOnlyList<NodeEndpoint> nodesTried, string lastError)
        : base($"{command} for slot {slot} gave up after {nodesTried.Count} attempt(s) on {string.Join(", ", nodesTried)}; last reply: {lastError}")
    {
        Command = command;
        Slot = slot;
        NodesTried = nodesTried;
    }

    /// <summary>The command's name.</summary>
    public string Command { get; }

    /// <summary>The slot that kept being redirected.</summary>
    public int Slot { get; }

    /// <summary>The nodes tried, in order.</summary>
    public IReadOnlyList<NodeEndpoint> NodesTried { get; }
}
