namespace Keyslot;

/// <summary>When <c>SET</c> writes.</summary>
public enum SetCondition
{
    /// <summary>Always.</summary>
    Always,
    /// <summary>Only when the key does not exist (NX).</summary>
    NotExists,
    /// <summary>Only when the key exists (XX).</summary>
    Exists,
}
