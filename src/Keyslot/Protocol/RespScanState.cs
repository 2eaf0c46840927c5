using System.Runtime.CompilerServices;

namespace Keyslot.Protocol;

/// <summary>
/// Progress of <see cref="RespFrameScanner"/> through one incomplete frame, so a frame arriving in pieces is
/// validated once overall instead of from its start on every call. <c>default</c> is the start of a new frame.
/// </summary>
internal struct RespScanState
{
    // Open aggregates, innermost last. Each entry packs (count << FlagBits) | flags: for counted aggregates the
    // count is the number of elements still expected, for streamed ones the number seen so far.
    internal const int FlagBits = 3;
    internal const long StreamedFlag = 1;
    internal const long AttributeFlag = 2;
    internal const long MapFlag = 4;
    internal const int InlineLevels = 16;

    /// <summary>Bytes from the frame start that are fully validated; the next call resumes here.</summary>
    internal long Consumed;

    /// <summary>Number of open aggregates.</summary>
    internal int Depth;

    /// <summary>Inside a streamed string <c>$?</c>, expecting <c>;len</c> chunks.</summary>
    internal bool InStreamedString;

    /// <summary>An attribute just ended and its value has not started yet (so a '.' here would be malformed).</summary>
    internal bool AttributePending;

    /// <summary>Payload bytes of the current streamed string so far (bounded by MaxBulkLength).</summary>
    internal long StreamedTotal;

    /// <summary>Payload bytes of the simple line starting at <see cref="LineCheckedAt"/> already known to hold no CR/LF.</summary>
    internal long LineChecked;

    /// <summary>Frame offset of the element <see cref="LineChecked"/> refers to (it only applies while that element is pending).</summary>
    internal long LineCheckedAt;

    /// <summary>Type byte ('+', '-' or '(') of the pending simple line.</summary>
    internal byte LineType;

    /// <summary>
    /// Frame length below which nothing new can be decided (the rest of a bulk payload is awaited), so a large payload
    /// arriving in pieces costs one comparison per piece. 0 when unset.
    /// </summary>
    internal long NeedUntil;

    // Where to resume in the caller's buffer: a position (segment and index) at frame offset ResumeOffset, taken from
    // the previous call's buffer. Used only after checking that its segment is one of the current buffer's (walking
    // from it to the buffer's last segment, which covers only what was not yet validated), so that resuming does not
    // seek from the frame start through every segment again: that made a frame arriving in many pieces quadratic.
    internal object? ResumeObject;
    internal int ResumeIndex;
    internal long ResumeOffset;

    internal LevelBuffer Inline;

    // Levels beyond InlineLevels; allocated once and kept across Reset so a connection reuses it.
    internal long[]? Spill;

    /// <summary>Forgets the frame in progress; the next scan starts a new frame.</summary>
    public void Reset()
    {
        Consumed = 0;
        Depth = 0;
        InStreamedString = false;
        AttributePending = false;
        StreamedTotal = 0;
        LineChecked = 0;
        LineCheckedAt = 0;
        LineType = 0;
        NeedUntil = 0;
        // Most frames arrive whole and never set it: skip the reference store (and its GC write barrier) then.
        if (ResumeObject is not null) ResumeObject = null;
        ResumeIndex = 0;
        ResumeOffset = 0;
    }

    [InlineArray(InlineLevels)]
    internal struct LevelBuffer
    {
        private long _element0;
    }
}
