namespace Keyslot;

/// <summary>How a stream is trimmed (XADD's and XTRIM's MAXLEN / MINID).</summary>
public enum StreamTrimStrategy
{
    /// <summary>No trimming (the default value; refused where a trim is required).</summary>
    None,
    /// <summary>MAXLEN: keep at most a number of entries.</summary>
    MaxLength,
    /// <summary>MINID: drop entries with IDs lower than a given one.</summary>
    MinId,
}
