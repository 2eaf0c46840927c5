using System.Buffers;

namespace Keyslot.Protocol;

/// <summary>
/// Phase 1 of parsing: finds where one complete top-level frame ends, validating every byte of it and enforcing
/// <see cref="RespLimits"/>. Resumable: each element is validated once, even when the frame arrives in many pieces.
/// </summary>
internal static class RespFrameScanner
{
    /// <summary>
    /// Looks for one complete frame at <paramref name="buffer"/>.Start. Attributes preceding a reply belong to that
    /// reply's frame; a push is a frame of its own. On an incomplete frame returns false and keeps progress in
    /// <paramref name="state"/>: call again with the same start and more bytes appended. On success resets
    /// <paramref name="state"/> for the next frame.
    /// </summary>
    /// <exception cref="RespProtocolException">Malformed input or a limit exceeded; offsets count from buffer.Start.</exception>
    public static bool TryScan(ref RespScanState state, in ReadOnlySequence<byte> buffer, RespLimits limits, out long frameLength)
    {
        ArgumentNullException.ThrowIfNull(limits);
        bool complete = Scan(ref state, buffer, limits, out frameLength);
        // An unfinished frame owns the whole buffer; one whose declared payload ends past the limit fails before it arrives.
        if (complete ? frameLength > limits.MaxFrameLength : buffer.Length > limits.MaxFrameLength || state.NeedUntil > limits.MaxFrameLength)
        {
            state.Reset();
            throw new RespProtocolException(limits.MaxFrameLength, $"frame longer than MaxFrameLength ({limits.MaxFrameLength} bytes)");
        }
        return complete;
    }

    [System.Runtime.CompilerServices.SkipLocalsInit]
    private static bool Scan(ref RespScanState state, in ReadOnlySequence<byte> buffer, RespLimits limits, out long frameLength)
    {
        frameLength = 0;
        long origin = state.Consumed;
        if (origin > buffer.Length) throw new ArgumentException("The buffer is shorter than what was already scanned; it must keep the same start.", nameof(buffer));
        if (state.NeedUntil != 0)
        {
            if (state.NeedUntil > buffer.Length) return false; // still inside a bulk payload: nothing new to validate
            state.NeedUntil = 0;
        }

        SequenceReader<byte> r;
        if (state.LineChecked > 0 && state.LineCheckedAt == origin && TryResume(ref state, buffer, out ReadOnlySequence<byte> rest))
        {
            // A simple line pending since an earlier call: search on from where that call stopped.
            var c = new SequenceReader<byte>(rest);
            long restOffset = state.ResumeOffset;
            if (!RespSyntax.TrySkipSimpleLine(ref c, restOffset, limits.MaxBulkLength, 0, state.LineChecked, out long len, out SequencePosition checkedEnd))
            {
                state.LineChecked = len;
                return Remember(ref state, checkedEnd, origin + 1 + len);
            }
            if (state.LineType == '(') RespSyntax.ValidateBigNumber(buffer.Slice(origin + 1, len), origin + 1);
            origin = restOffset;
            r = c;
            state.Consumed = origin + r.Consumed;
            state.AttributePending = false;
            state.LineChecked = 0;
            if (CompleteElement(ref state, limits)) return Done(ref state, out frameLength);
        }
        else if (origin == 0)
        {
            r = new SequenceReader<byte>(buffer);
        }
        else if (state.ResumeObject is not null && state.ResumeOffset == origin && TryResume(ref state, buffer, out rest))
        {
            r = new SequenceReader<byte>(rest);
        }
        else
        {
            if (!buffer.IsSingleSegment) RespWork.Bytes += origin; // seeking walks the segments before origin
            r = new SequenceReader<byte>(buffer.Slice(origin));
        }
        Span<byte> scratch = stackalloc byte[RespSyntax.MaxNumberLine];
        scoped ReadOnlySpan<byte> line;
        SequenceReader<byte> e;
        while (true)
        {
            // A long simple line resumed from an earlier call skips the fast path, which would search it from the start.
            bool resumingLine = state.LineChecked > 0 && state.LineCheckedAt == origin + r.Consumed;
            if (!state.InStreamedString && !resumingLine)
            {
                // Common elements lying wholly in the current span are validated without the general machinery.
                int fast = TryFastElement(r.UnreadSpan, limits, state.Depth, out long children, out long flags);
                if (fast > 0)
                {
                    r.Advance(fast);
                    state.Consumed = origin + r.Consumed;
                    state.AttributePending = false;
                    if (children > 0)
                    {
                        Push(ref state, limits, (children << RespScanState.FlagBits) | flags);
                        continue;
                    }
                    if (CompleteElement(ref state, limits)) return Done(ref state, out frameLength);
                    continue;
                }
            }

            // Work on a copy and commit only whole elements, so "need more data" leaves state consistent.
            e = r;
            long at = origin + e.Consumed;
            if (!e.TryRead(out byte type)) return Pending(ref state, r, origin);

            bool completed; // a whole element (not an attribute, not an aggregate header) ended
            if (state.InStreamedString)
            {
                if (type != ';') throw RespProtocolException.Expected(at, "';' (a streamed string chunk)", type);
                if (!RespSyntax.TryReadLine(e, scratch, origin, out line, out int used)) return Pending(ref state, r, origin);
                e.Advance(used);
                long len = RespSyntax.ParseLength(line, at + 1, allowNull: false, allowStreamed: false);
                if (len > limits.MaxBulkLength - state.StreamedTotal) throw new RespProtocolException(at + 1, "streamed string longer than MaxBulkLength");
                if (len > 0)
                {
                    if (e.Remaining < len + 2)
                    {
                        state.NeedUntil = origin + e.Consumed + len + 2;
                        return Pending(ref state, r, origin);
                    }
                    e.Advance(len);
                    RespSyntax.TryExpectCrlf(ref e, origin);
                }
                r = e;
                state.Consumed = origin + r.Consumed;
                state.StreamedTotal += len;
                if (len != 0) continue;
                state.InStreamedString = false;
                state.StreamedTotal = 0;
                completed = true;
            }
            else
            {
                switch (type)
                {
                    case (byte)'+':
                    case (byte)'-':
                    case (byte)'(':
                    {
                        SequencePosition start = e.Position;
                        long known = resumingLine ? state.LineChecked : 0;
                        if (!RespSyntax.TrySkipSimpleLine(ref e, origin, limits.MaxBulkLength, known, 0, out long len, out SequencePosition checkedEnd))
                        {
                            state.LineChecked = len;
                            state.LineCheckedAt = at;
                            state.LineType = type;
                            // Nothing of the payload checked yet: resume at the element, which r is at.
                            return len > 0 ? Remember(ref state, checkedEnd, at + 1 + len) : Pending(ref state, r, origin);
                        }
                        if (type == '(') RespSyntax.ValidateBigNumber(e.Sequence.Slice(start, len), at + 1);
                        break;
                    }
                    case (byte)':':
                    {
                        if (!RespSyntax.TryReadLine(e, scratch, origin, out line, out int used)) return Pending(ref state, r, origin);
                        e.Advance(used);
                        RespSyntax.ParseInteger(line, at + 1);
                        break;
                    }
                    case (byte)',':
                    {
                        if (!RespSyntax.TryReadLine(e, scratch, origin, out line, out int used)) return Pending(ref state, r, origin);
                        e.Advance(used);
                        RespSyntax.ParseDouble(line, at + 1);
                        break;
                    }
                    case (byte)'#':
                    {
                        if (!e.TryRead(out byte b)) return Pending(ref state, r, origin);
                        if (b != 't' && b != 'f') throw RespProtocolException.Expected(at + 1, "'t' or 'f'", b);
                        if (!RespSyntax.TryExpectCrlf(ref e, origin)) return Pending(ref state, r, origin);
                        break;
                    }
                    case (byte)'_':
                        if (!RespSyntax.TryExpectCrlf(ref e, origin)) return Pending(ref state, r, origin);
                        break;
                    case (byte)'$':
                    case (byte)'!':
                    case (byte)'=':
                    {
                        if (!RespSyntax.TryReadLine(e, scratch, origin, out line, out int used)) return Pending(ref state, r, origin);
                        e.Advance(used);
                        long len = RespSyntax.ParseLength(line, at + 1, allowNull: type == '$', allowStreamed: type == '$');
                        if (len == RespSyntax.StreamedLength)
                        {
                            r = e;
                            state.Consumed = origin + r.Consumed;
                            state.InStreamedString = true;
                            state.StreamedTotal = 0;
                            state.AttributePending = false;
                            continue;
                        }
                        if (len > limits.MaxBulkLength) throw RespProtocolException.Expected(at + 1, $"a length up to MaxBulkLength ({limits.MaxBulkLength})", len.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        if (len >= 0)
                        {
                            if (type == '=' && len < 4) throw RespProtocolException.Expected(at + 1, "a verbatim string length of at least 4 (\"fmt:\")", len.ToString(System.Globalization.CultureInfo.InvariantCulture));
                            if (e.Remaining < len + 2)
                            {
                                // Fail early on a bad verbatim prefix instead of waiting for the whole payload.
                                if (type == '=' && e.Remaining >= 4) CheckVerbatimColon(e, origin);
                                if (type != '=' || e.Remaining >= 4) state.NeedUntil = origin + e.Consumed + len + 2;
                                return Pending(ref state, r, origin);
                            }
                            if (type == '=') CheckVerbatimColon(e, origin);
                            e.Advance(len);
                            RespSyntax.TryExpectCrlf(ref e, origin);
                        }
                        break;
                    }
                    case (byte)'*':
                    case (byte)'%':
                    case (byte)'~':
                    case (byte)'>':
                    case (byte)'|':
                    {
                        if (!RespSyntax.TryReadLine(e, scratch, origin, out line, out int used)) return Pending(ref state, r, origin);
                        e.Advance(used);
                        long len = RespSyntax.ParseLength(line, at + 1, allowNull: type == '*', allowStreamed: type is (byte)'*' or (byte)'%' or (byte)'~');
                        if (len == RespSyntax.NullLength) break;
                        if (len > limits.MaxAggregateLength) throw RespProtocolException.Expected(at + 1, $"an aggregate length up to MaxAggregateLength ({limits.MaxAggregateLength})", len.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        bool attribute = type == '|';
                        if (len == 0)
                        {
                            r = e;
                            state.Consumed = origin + r.Consumed;
                            if (attribute) { state.AttributePending = true; continue; }
                            state.AttributePending = false;
                            if (CompleteElement(ref state, limits)) return Done(ref state, out frameLength);
                            continue;
                        }
                        if (state.Depth >= limits.MaxDepth) throw new RespProtocolException(at, $"nesting deeper than MaxDepth ({limits.MaxDepth})");
                        long flags = (len == RespSyntax.StreamedLength ? RespScanState.StreamedFlag : 0)
                                     | (attribute ? RespScanState.AttributeFlag : 0)
                                     | (type == '%' ? RespScanState.MapFlag : 0);
                        long count = len == RespSyntax.StreamedLength ? 0 : (type is (byte)'%' or (byte)'|' ? len * 2 : len);
                        r = e;
                        state.Consumed = origin + r.Consumed;
                        state.AttributePending = false;
                        Push(ref state, limits, (count << RespScanState.FlagBits) | flags);
                        continue;
                    }
                    case (byte)'.':
                    {
                        if (state.Depth == 0 || (Level(ref state, state.Depth - 1) & RespScanState.StreamedFlag) == 0)
                            throw RespProtocolException.Expected(at, "a RESP type byte ('.' only ends a streamed aggregate)", type);
                        if (!RespSyntax.TryExpectCrlf(ref e, origin)) return Pending(ref state, r, origin);
                        if (state.AttributePending) throw RespProtocolException.Expected(at, "a value after an attribute", type);
                        long top = Level(ref state, state.Depth - 1);
                        if ((top & RespScanState.MapFlag) != 0 && ((top >> RespScanState.FlagBits) & 1) != 0)
                            throw RespProtocolException.Expected(at, "a map value before the end of a streamed map", type);
                        r = e;
                        state.Consumed = origin + r.Consumed;
                        state.Depth--;
                        if (CompleteElement(ref state, limits)) return Done(ref state, out frameLength);
                        continue;
                    }
                    default:
                        throw RespProtocolException.Expected(at, "a RESP type byte", type);
                }
                r = e;
                state.Consumed = origin + r.Consumed;
                state.AttributePending = false;
                completed = true;
            }

            if (completed && CompleteElement(ref state, limits)) return Done(ref state, out frameLength);
        }
    }

    // Returns the length of one valid element wholly inside span (children > 0 for a non-empty aggregate header),
    // or 0 to defer to the general path, which also produces every error message.
    private static int TryFastElement(ReadOnlySpan<byte> span, RespLimits limits, int depth, out long children, out long flags)
    {
        children = 0;
        flags = 0;
        if (span.Length < 3) return 0;
        switch (span[0])
        {
            case (byte)'+':
            case (byte)'-':
            {
                int len = RespSyntax.TryFastSimpleLine(span);
                return len >= 0 && len <= limits.MaxBulkLength ? len + 3 : 0;
            }
            case (byte)':':
            {
                int len = RespSyntax.TryFastInteger(span, out _);
                return len >= 0 ? len + 3 : 0;
            }
            case (byte)'_':
                return span[1] == '\r' && span[2] == '\n' ? 3 : 0;
            case (byte)'$':
            {
                int header = RespSyntax.TryFastHeader(span, out long len);
                if (header == 0 || len > limits.MaxBulkLength || len > span.Length - header - 2) return 0;
                int end = header + (int)len;
                return span[end] == '\r' && span[end + 1] == '\n' ? end + 2 : 0;
            }
            case (byte)'*':
            case (byte)'%':
            case (byte)'~':
            case (byte)'>':
            {
                int header = RespSyntax.TryFastHeader(span, out long len);
                if (header == 0 || len == 0 || len > limits.MaxAggregateLength || depth >= limits.MaxDepth) return 0;
                bool map = span[0] == '%';
                children = map ? len * 2 : len;
                flags = map ? RespScanState.MapFlag : 0;
                return header;
            }
            default:
                return 0;
        }
    }

    // "Need more data": remembers where the committed part ends (r is there), so the next call resumes without seeking.
    private static bool Pending(ref RespScanState state, in SequenceReader<byte> r, long origin)
        => Remember(ref state, r.Position, origin + r.Consumed);

    private static bool Remember(ref RespScanState state, SequencePosition position, long offset)
    {
        state.ResumeObject = position.GetObject();
        state.ResumeIndex = position.GetInteger();
        state.ResumeOffset = offset;
        return false;
    }

    // The remembered position, when it is one of this buffer's segments at the frame offset it was taken at: the rest
    // of the buffer from there. Checking walks from that segment to the buffer's last one (what arrived since, plus
    // the pending element), never from the frame start; a buffer of other segments (copied, or rebuilt) fails the
    // check and the caller seeks from the start instead.
    private static bool TryResume(ref RespScanState state, in ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> rest)
    {
        rest = default;
        if (buffer.IsSingleSegment
            || state.ResumeObject is not ReadOnlySequenceSegment<byte> segment
            || buffer.Start.GetObject() is not ReadOnlySequenceSegment<byte> first
            || (uint)state.ResumeIndex > (uint)segment.Memory.Length
            || segment.RunningIndex + state.ResumeIndex - (first.RunningIndex + buffer.Start.GetInteger()) != state.ResumeOffset)
        {
            return false;
        }
        object? last = buffer.End.GetObject();
        ReadOnlySequenceSegment<byte>? s = segment;
        long walked = 0;
        while (!ReferenceEquals(s, last))
        {
            if (s is null) return false;
            walked += s.Memory.Length;
            s = s.Next;
        }
        RespWork.Bytes += walked;
        rest = buffer.Slice(new SequencePosition(segment, state.ResumeIndex));
        return true;
    }

    private static bool Done(ref RespScanState state, out long frameLength)
    {
        frameLength = state.Consumed;
        state.Reset();
        return true;
    }

    private static void CheckVerbatimColon(SequenceReader<byte> e, long origin)
    {
        e.Advance(3);
        e.TryPeek(out byte colon);
        if (colon != ':') throw RespProtocolException.Expected(origin + e.Consumed, "':' after the 3-byte verbatim format", colon);
    }

    // Accounts for one finished element in the enclosing aggregates, closing those it completes.
    // Returns true when the top-level element (the frame) is complete.
    private static bool CompleteElement(ref RespScanState state, RespLimits limits)
    {
        while (state.Depth > 0)
        {
            ref long top = ref Level(ref state, state.Depth - 1);
            if ((top & RespScanState.StreamedFlag) != 0)
            {
                top += 1L << RespScanState.FlagBits;
                long max = (top & RespScanState.MapFlag) != 0 ? limits.MaxAggregateLength * 2 : limits.MaxAggregateLength;
                if (top >> RespScanState.FlagBits > max)
                    throw new RespProtocolException(state.Consumed, $"streamed aggregate longer than MaxAggregateLength ({limits.MaxAggregateLength})");
                return false;
            }
            top -= 1L << RespScanState.FlagBits;
            if (top >> RespScanState.FlagBits != 0) return false;
            state.Depth--;
            if ((top & RespScanState.AttributeFlag) != 0)
            {
                // An attribute annotates the element that follows it; it is not an element itself.
                state.AttributePending = true;
                return false;
            }
        }
        return true;
    }

    private static void Push(ref RespScanState state, RespLimits limits, long entry)
    {
        int index = state.Depth;
        if (index >= RespScanState.InlineLevels)
        {
            int needed = index - RespScanState.InlineLevels + 1;
            if (state.Spill is null || state.Spill.Length < needed)
            {
                var grown = new long[Math.Min(Math.Max(needed * 2, 8), limits.MaxDepth)];
                state.Spill?.CopyTo(grown, 0);
                state.Spill = grown;
            }
        }
        state.Depth = index + 1;
        Level(ref state, index) = entry;
    }

    private static ref long Level(ref RespScanState state, int index)
        => ref index < RespScanState.InlineLevels ? ref state.Inline[index] : ref state.Spill![index - RespScanState.InlineLevels];
}
