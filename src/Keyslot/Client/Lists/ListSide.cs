namespace Keyslot;

/// <summary>An end of a list: LEFT (the head, index 0) or RIGHT (the tail, index -1).</summary>
public enum ListSide
{
    /// <summary>The head of the list (LEFT).</summary>
    Left,
    /// <summary>The tail of the list (RIGHT).</summary>
    Right,
}
