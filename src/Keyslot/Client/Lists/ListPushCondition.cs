namespace Keyslot;

/// <summary>When LPUSH / RPUSH writes.</summary>
public enum ListPushCondition
{
    /// <summary>Always: a missing key is created as a new list (LPUSH / RPUSH).</summary>
    Always,
    /// <summary>Only when the key already holds a list (LPUSHX / RPUSHX); nothing is created.</summary>
    Exists,
}
