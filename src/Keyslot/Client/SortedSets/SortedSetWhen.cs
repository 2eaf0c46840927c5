namespace Keyslot;

/// <summary>
/// When ZADD writes a member's score (flags; combine <see cref="Exists"/> or <see cref="NotExists"/> with
/// <see cref="GreaterThan"/> or <see cref="LessThan"/> as the server allows). Refused before anything is sent:
/// <see cref="Exists"/> with <see cref="NotExists"/>, <see cref="GreaterThan"/> with <see cref="LessThan"/>, and
/// <see cref="NotExists"/> with either comparison.
/// </summary>
[Flags]
public enum SortedSetWhen
{
    /// <summary>Always: adds new members and updates existing ones.</summary>
    Always = 0,
    /// <summary>Only members that exist are updated; none are added (XX).</summary>
    Exists = 1,
    /// <summary>Only new members are added; existing ones are left as they are (NX).</summary>
    NotExists = 2,
    /// <summary>An existing member is updated only when the new score is greater (GT); new members are still added.</summary>
    GreaterThan = 4,
    /// <summary>An existing member is updated only when the new score is less (LT); new members are still added.</summary>
    LessThan = 8,
}
