using System.Buffers;

namespace Keyslot.Protocol;

/// <summary>
/// The whole-element half of <see cref="RespReader"/>: materialising the current element as a <see cref="RespValue"/>
/// (attributes included, allocation bounded over all nesting levels) and moving past an element's descendants.
/// </summary>
internal ref partial struct RespReader
{
    /// <summary>When the current element is an aggregate, moves past all its descendants; otherwise does nothing.</summary>
    public void SkipChildren()
    {
        if (!IsAggregate) return;
        if (_streamedAggregate)
        {
            while (PeekIsNotEnd(_r)) SkipElement(ref _r, 1);
            _r.Advance(1);
            ExpectCrlf(ref _r);
        }
        else
        {
            for (long i = 0; i < _length; i++) SkipElement(ref _r, 1);
        }
        _streamedAggregate = false;
        _length = 0;
    }

    /// <summary>
    /// Materializes the current element and its whole subtree (with any attributes that preceded it). Afterwards
    /// the reader is on the element's last descendant, so the next <see cref="Read"/> goes to its next sibling.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no current element.</exception>
    public RespValue ReadValue() => ReadValueCore(0);

    private RespValue ReadValueCore(int depth)
    {
        if (depth > RespLimits.AbsoluteMaxDepth) throw new RespProtocolException(_r.Consumed, $"nesting deeper than {RespLimits.AbsoluteMaxDepth}");
        RespWork.Elements++;
        RespValue[]? attributes = _hasAttributes ? ReadAttributes(depth) : null;
        RespValue value;
        switch (_type)
        {
            case RespType.None:
                throw new InvalidOperationException("There is no current element: call Read() first.");
            case RespType.Null:
                value = RespValue.Null;
                break;
            case RespType.Integer:
            case RespType.Boolean:
            case RespType.Double:
                value = new RespValue(_type, _number, null);
                break;
            case RespType.VerbatimString:
                value = new RespValue(_type, _verbatimFormat, PayloadToArray());
                break;
            case RespType.Array:
            case RespType.Map:
            case RespType.Set:
            case RespType.Push:
            {
                RespType type = _type;
                if (_streamedAggregate)
                {
                    // Read up to the '.' without counting first: counting walks the subtree, so counting at every
                    // level of nested streamed aggregates made reading them quadratic in their depth.
                    value = new RespValue(type, 0, ReadStreamedChildren(depth));
                    break;
                }
                long count = _length;
                // Every element takes at least 3 bytes of the frame, and nested elements are distinct bytes, so the
                // elements allocated over ALL levels can never outnumber the frame's bytes: checking the running
                // total (not each level alone) bounds the allocation by the input even for a frame the scanner
                // never saw, however deep the nesting.
                _materialized += count;
                if (count > _r.Remaining || _materialized > _frame.Length) throw Truncated(_frame.Length);
                var items = count == 0 ? [] : new RespValue[count];
                for (int i = 0; i < items.Length; i++)
                {
                    if (!Read()) throw Truncated(_r.Consumed);
                    items[i] = ReadValueCore(depth + 1);
                }
                value = new RespValue(type, 0, items);
                break;
            }
            default:
                value = new RespValue(_type, 0, PayloadToArray());
                break;
        }
        return attributes is null ? value : value.WithAttributeElements(attributes);
    }

    // The children of the current streamed aggregate up to its '.', which is consumed. They are gathered on a stack
    // shared by all levels of this reader (an inner level pushes above, and pops back to, where the outer one is),
    // then copied into an array of the exact size, as a counted aggregate allocates. Every child takes at least 3
    // bytes of the frame, so the running total, and the stack, are bounded by the input.
    private RespValue[] ReadStreamedChildren(int depth)
    {
        int start = _gathered;
        while (PeekIsNotEnd(_r))
        {
            if (++_materialized > _frame.Length) throw Truncated(_frame.Length);
            if (!Read()) throw Truncated(_r.Consumed);
            RespValue child = ReadValueCore(depth + 1);
            if (_gather is null || _gathered == _gather.Length) Array.Resize(ref _gather, Math.Max(16, _gathered * 2));
            _gather[_gathered++] = child;
        }
        _r.Advance(1);
        ExpectCrlf(ref _r);
        if (_gathered == start) return [];
        Span<RespValue> children = _gather.AsSpan(start, _gathered - start);
        RespValue[] items = children.ToArray();
        children.Clear();
        _gathered = start;
        return items;
    }

    // Materializes the attribute map(s) that preceded the current element, as alternating keys and values.
    private readonly RespValue[] ReadAttributes(int depth)
    {
        var sub = new RespReader(_frame.Slice(_attributesStart, _attributesEnd));
        var items = new List<RespValue>();
        while (sub._r.TryRead(out byte type))
        {
            if (type != '|') throw RespProtocolException.Expected(sub._r.Consumed - 1, "'|'", type);
            long pairs = ReadLength(ref sub._r, sub._r.Consumed - 1, allowNull: false, allowStreamed: false);
            for (long i = 0; i < pairs * 2; i++)
            {
                if (!sub.Read()) throw Truncated(sub._r.Consumed);
                items.Add(sub.ReadValueCore(depth + 1));
            }
        }
        return items.ToArray();
    }

    private readonly long CountStreamedChildren()
    {
        SequenceReader<byte> c = _r;
        long count = 0;
        while (PeekIsNotEnd(c))
        {
            SkipElement(ref c, 1);
            count++;
        }
        return count;
    }

    private static bool PeekIsNotEnd(SequenceReader<byte> r)
    {
        if (!r.TryPeek(out byte b)) throw Truncated(r.Consumed);
        return b != '.';
    }

    // Skips one element including any attributes before it, validating as it goes; recursion is bounded.
    private static void SkipElement(ref SequenceReader<byte> r, int depth)
    {
        if (depth > RespLimits.AbsoluteMaxDepth) throw new RespProtocolException(r.Consumed, $"nesting deeper than {RespLimits.AbsoluteMaxDepth}");
        RespWork.Elements++;
        while (true)
        {
            long at = r.Consumed;
            if (!r.TryRead(out byte type)) throw Truncated(at);
            switch (type)
            {
                case (byte)'|':
                {
                    long pairs = ReadLength(ref r, at, allowNull: false, allowStreamed: false);
                    for (long i = 0; i < pairs * 2; i++) SkipElement(ref r, depth + 1);
                    continue;
                }
                case (byte)'+':
                case (byte)'-':
                case (byte)'(':
                    if (!RespSyntax.TrySkipSimpleLine(ref r, 0, long.MaxValue, 0, out _)) throw Truncated(r.Consumed);
                    return;
                case (byte)':':
                case (byte)',':
                {
                    Span<byte> scratch = stackalloc byte[RespSyntax.MaxNumberLine];
                    if (!RespSyntax.TryReadLine(r, scratch, 0, out ReadOnlySpan<byte> line, out int used)) throw Truncated(r.Consumed);
                    r.Advance(used);
                    if (type == ':') RespSyntax.ParseInteger(line, at + 1);
                    else RespSyntax.ParseDouble(line, at + 1);
                    return;
                }
                case (byte)'#':
                    if (!r.TryRead(out byte b)) throw Truncated(r.Consumed);
                    if (b != 't' && b != 'f') throw RespProtocolException.Expected(at + 1, "'t' or 'f'", b);
                    ExpectCrlf(ref r);
                    return;
                case (byte)'_':
                    ExpectCrlf(ref r);
                    return;
                case (byte)'$':
                case (byte)'!':
                case (byte)'=':
                {
                    long len = ReadLength(ref r, at, allowNull: type == '$', allowStreamed: type == '$');
                    if (len == RespSyntax.NullLength) return;
                    if (len == RespSyntax.StreamedLength) { SkipChunks(ref r); return; }
                    if (r.Remaining < len + 2) throw Truncated(at);
                    r.Advance(len);
                    ExpectCrlf(ref r);
                    return;
                }
                case (byte)'*':
                case (byte)'%':
                case (byte)'~':
                case (byte)'>':
                {
                    long len = ReadLength(ref r, at, allowNull: type == '*', allowStreamed: type != '>');
                    if (len == RespSyntax.NullLength) return;
                    if (len == RespSyntax.StreamedLength)
                    {
                        while (PeekIsNotEnd(r)) SkipElement(ref r, depth + 1);
                        r.Advance(1);
                        ExpectCrlf(ref r);
                        return;
                    }
                    long count = type == '%' ? len * 2 : len;
                    for (long i = 0; i < count; i++) SkipElement(ref r, depth + 1);
                    return;
                }
                default:
                    throw RespProtocolException.Expected(at, "a RESP type byte", type);
            }
        }
    }

    // Skips ";len" chunks through the terminating ";0"; returns the total payload length.
    private static long SkipChunks(ref SequenceReader<byte> r)
    {
        long total = 0;
        while (true)
        {
            long at = r.Consumed;
            if (!r.TryRead(out byte b)) throw Truncated(at);
            if (b != ';') throw RespProtocolException.Expected(at, "';' (a streamed string chunk)", b);
            long len = ReadLength(ref r, at, allowNull: false, allowStreamed: false);
            if (len == 0) return total;
            if (r.Remaining < len + 2) throw Truncated(r.Consumed);
            r.Advance(len);
            ExpectCrlf(ref r);
            total += len;
        }
    }
}
