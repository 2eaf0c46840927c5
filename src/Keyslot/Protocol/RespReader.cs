using System.Buffers;
using System.Globalization;
using System.Text;

namespace Keyslot.Protocol;

/// <summary>
/// Phase 2 of parsing: a forward-only, pre-order walk over ONE complete frame (as delimited by
/// <see cref="RespFrameScanner"/>), in the style of <c>Utf8JsonReader</c>. Scalars are exposed as spans over the
/// frame, so reading replies allocates only when the caller asks for a string, byte array or <see cref="RespValue"/>.
/// Malformed or truncated input still throws <see cref="RespProtocolException"/> (never hangs), but limits are the
/// scanner's job. Conversions that do not apply to the current type throw <see cref="InvalidCastException"/>.
/// </summary>
internal ref partial struct RespReader
{
    private readonly ReadOnlySequence<byte> _frame;
    private SequenceReader<byte> _r;

    private RespType _type;
    private long _length;              // scalars: payload bytes; aggregates: child elements (streamed: counted on demand)
    private long _number;              // Integer/Boolean value or Double bits
    private int _verbatimFormat;       // three format bytes, packed
    private ReadOnlySpan<byte> _span;  // payload when it lies in one segment
    private long _payloadOffset;       // frame offset of the payload (or of the first chunk of a streamed string)
    private bool _single;
    private bool _streamedString;      // payload is ;len chunks starting at _payloadOffset
    private bool _streamedAggregate;
    private byte[]? _assembled;        // streamed string payload, joined on first use
    private bool _hasAttributes;
    private SequencePosition _attributesStart;
    private SequencePosition _attributesEnd;
    private long _materialized;        // aggregate elements allocated by ReadValue so far, over all nesting levels
    private RespValue[]? _gather;      // children of the streamed aggregates ReadValue is inside, as a stack
    private int _gathered;

    /// <summary>Creates a reader positioned before the first element of <paramref name="frame"/>.</summary>
    public RespReader(scoped in ReadOnlySequence<byte> frame)
    {
        _frame = frame;
        _r = new SequenceReader<byte>(frame);
    }

    /// <summary>The whole frame the reader walks (the client-side cache keeps a reply's bytes as they arrived).</summary>
    public readonly ReadOnlySequence<byte> Frame => _frame;

    /// <summary>The current element's type; <see cref="RespType.None"/> before the first and after the last Read().</summary>
    public readonly RespType Type => _type;

    /// <summary>True when the current element is a simple or bulk error.</summary>
    public readonly bool IsError => _type is RespType.SimpleError or RespType.BulkError;

    /// <summary>True for Array, Map, Set and Push (attributes are skipped by <see cref="Read"/>).</summary>
    public readonly bool IsAggregate => _type is RespType.Array or RespType.Map or RespType.Set or RespType.Push;

    /// <summary>True when the current element was preceded by one or more attribute maps (see <see cref="ReadValue"/>).</summary>
    public readonly bool HasAttributes => _hasAttributes;

    /// <summary>
    /// Aggregates: number of child elements (maps: 2 × pairs); scalars: payload length in bytes (verbatim strings
    /// without their "fmt:" prefix); Null: 0. For a streamed aggregate the first call walks its subtree once to count
    /// the children and remembers the count (<see cref="ReadValue"/> and <see cref="SkipChildren"/> never need it).
    /// </summary>
    public long Length
    {
        get
        {
            if (_streamedAggregate && _length < 0) _length = CountStreamedChildren();
            return _length;
        }
    }

    /// <summary>True when <see cref="ScalarSpan"/> is a view of the frame (no copy); false for payloads across segments or streamed strings.</summary>
    public readonly bool IsScalarSingleSegment => _single && !_streamedString;

    /// <summary>The scalar payload. A view of the frame in the common single-segment case; otherwise a copy (allocates).</summary>
    public ReadOnlySpan<byte> ScalarSpan
    {
        get
        {
            if (_streamedString) return Assemble();
            if (_single) return _span;
            return _frame.Slice(_payloadOffset, _length).ToArray();
        }
    }

    /// <summary>The scalar payload as a sequence (a view of the frame; streamed strings are joined into one array).</summary>
    public ReadOnlySequence<byte> ScalarSequence
    {
        get
        {
            if (_streamedString) return new ReadOnlySequence<byte>(Assemble());
            if (_type is RespType.None or RespType.Null || IsAggregate) return ReadOnlySequence<byte>.Empty;
            return _frame.Slice(_payloadOffset, _length);
        }
    }

    /// <summary>Moves to the next element in pre-order; false at the end of the frame. Attribute maps are skipped (remembered for <see cref="ReadValue"/>).</summary>
    public bool Read()
    {
        _hasAttributes = false;
        _streamedString = false;
        _streamedAggregate = false;
        _assembled = null;
        _single = true;
        _span = default;
        _length = 0;
        _number = 0;
        if (TryReadFast()) return true;
        while (true)
        {
            SequencePosition before = _r.Position;
            long at = _r.Consumed;
            if (!_r.TryRead(out byte type))
            {
                _type = RespType.None;
                return false;
            }
            switch (type)
            {
                case (byte)'|':
                {
                    if (!_hasAttributes) _attributesStart = before;
                    _hasAttributes = true;
                    long pairs = ReadLength(ref _r, at, allowNull: false, allowStreamed: false);
                    for (long i = 0; i < pairs * 2; i++) SkipElement(ref _r, 1);
                    _attributesEnd = _r.Position;
                    continue;
                }
                case (byte)'.':
                    // End of a streamed aggregate: structure only, not an element.
                    ExpectCrlf(ref _r);
                    continue;
                case (byte)'+':
                case (byte)'-':
                case (byte)'(':
                {
                    SequencePosition start = _r.Position;
                    long startOffset = _r.Consumed;
                    if (!RespSyntax.TrySkipSimpleLine(ref _r, 0, long.MaxValue, 0, out long len)) throw Truncated(_r.Consumed);
                    if (type == '(') RespSyntax.ValidateBigNumber(_frame.Slice(start, len), at + 1);
                    _type = type == '+' ? RespType.SimpleString : type == '-' ? RespType.SimpleError : RespType.BigNumber;
                    SetPayload(start, startOffset, len);
                    return true;
                }
                case (byte)':':
                case (byte)',':
                {
                    SequencePosition start = _r.Position;
                    long startOffset = _r.Consumed;
                    Span<byte> scratch = stackalloc byte[RespSyntax.MaxNumberLine];
                    if (!RespSyntax.TryReadLine(_r, scratch, 0, out ReadOnlySpan<byte> line, out int used)) throw Truncated(_r.Consumed);
                    _r.Advance(used);
                    if (type == ':')
                    {
                        _type = RespType.Integer;
                        _number = RespSyntax.ParseInteger(line, at + 1);
                    }
                    else
                    {
                        _type = RespType.Double;
                        _number = BitConverter.DoubleToInt64Bits(RespSyntax.ParseDouble(line, at + 1));
                    }
                    SetPayload(start, startOffset, used - 2);
                    return true;
                }
                case (byte)'#':
                {
                    SequencePosition start = _r.Position;
                    long startOffset = _r.Consumed;
                    if (!_r.TryRead(out byte b)) throw Truncated(_r.Consumed);
                    if (b != 't' && b != 'f') throw RespProtocolException.Expected(at + 1, "'t' or 'f'", b);
                    ExpectCrlf(ref _r);
                    _type = RespType.Boolean;
                    _number = b == 't' ? 1 : 0;
                    SetPayload(start, startOffset, 1);
                    return true;
                }
                case (byte)'_':
                    ExpectCrlf(ref _r);
                    _type = RespType.Null;
                    return true;
                case (byte)'$':
                case (byte)'!':
                case (byte)'=':
                    ReadBlob(type, at);
                    return true;
                case (byte)'*':
                case (byte)'%':
                case (byte)'~':
                case (byte)'>':
                {
                    long len = ReadLength(ref _r, at, allowNull: type == '*', allowStreamed: type != '>');
                    if (len == RespSyntax.NullLength)
                    {
                        _type = RespType.Null;
                        return true;
                    }
                    _type = type switch { (byte)'*' => RespType.Array, (byte)'%' => RespType.Map, (byte)'~' => RespType.Set, _ => RespType.Push };
                    _streamedAggregate = len == RespSyntax.StreamedLength;
                    _length = _streamedAggregate ? -1 : type == '%' ? len * 2 : len;
                    return true;
                }
                default:
                    throw RespProtocolException.Expected(at, "a RESP type byte", type);
            }
        }
    }

    // Common elements lying wholly in the current span, read without the general machinery; false defers to it
    // (which also reports every error).
    private bool TryReadFast()
    {
        ReadOnlySpan<byte> span = _r.UnreadSpan;
        if (span.Length < 3) return false;
        int consumed;
        switch (span[0])
        {
            case (byte)'+':
            case (byte)'-':
            {
                int len = RespSyntax.TryFastSimpleLine(span);
                if (len < 0) return false;
                _type = span[0] == '+' ? RespType.SimpleString : RespType.SimpleError;
                _span = span.Slice(1, len);
                _payloadOffset = _r.Consumed + 1;
                _length = len;
                consumed = len + 3;
                break;
            }
            case (byte)':':
            {
                int len = RespSyntax.TryFastInteger(span, out long value);
                if (len < 0) return false;
                _type = RespType.Integer;
                _number = value;
                _span = span.Slice(1, len);
                _payloadOffset = _r.Consumed + 1;
                _length = len;
                consumed = len + 3;
                break;
            }
            case (byte)'_':
                if (span[1] != '\r' || span[2] != '\n') return false;
                _type = RespType.Null;
                consumed = 3;
                break;
            case (byte)'$':
            {
                int header = RespSyntax.TryFastHeader(span, out long len);
                if (header == 0 || len > span.Length - header - 2) return false;
                int end = header + (int)len;
                if (span[end] != '\r' || span[end + 1] != '\n') return false;
                _type = RespType.BulkString;
                _span = span.Slice(header, (int)len);
                _payloadOffset = _r.Consumed + header;
                _length = len;
                consumed = end + 2;
                break;
            }
            case (byte)'*':
            case (byte)'%':
            case (byte)'~':
            case (byte)'>':
            {
                consumed = RespSyntax.TryFastHeader(span, out long len);
                if (consumed == 0 || len > _r.Remaining - consumed) return false; // the slow path says what is wrong
                _type = span[0] switch { (byte)'*' => RespType.Array, (byte)'%' => RespType.Map, (byte)'~' => RespType.Set, _ => RespType.Push };
                _length = span[0] == '%' ? len * 2 : len;
                break;
            }
            default:
                return false;
        }
        _r.Advance(consumed);
        return true;
    }

    private void ReadBlob(byte type, long at)
    {
        long len = ReadLength(ref _r, at, allowNull: type == '$', allowStreamed: type == '$');
        if (len == RespSyntax.NullLength)
        {
            _type = RespType.Null;
            return;
        }
        _type = type == '$' ? RespType.BulkString : type == '!' ? RespType.BulkError : RespType.VerbatimString;
        if (len == RespSyntax.StreamedLength)
        {
            _streamedString = true;
            _single = false;
            _payloadOffset = _r.Consumed;
            _length = SkipChunks(ref _r);
            return;
        }
        if (_r.Remaining < len + 2) throw Truncated(_frame.Length);
        if (type == '=')
        {
            if (len < 4) throw RespProtocolException.Expected(at + 1, "a verbatim string length of at least 4", len.ToString(CultureInfo.InvariantCulture));
            _r.TryRead(out byte f0);
            _r.TryRead(out byte f1);
            _r.TryRead(out byte f2);
            _r.TryRead(out byte colon);
            if (colon != ':') throw RespProtocolException.Expected(_r.Consumed - 1, "':' after the 3-byte verbatim format", colon);
            _verbatimFormat = (f0 << 16) | (f1 << 8) | f2;
            len -= 4;
        }
        SequencePosition start = _r.Position;
        long startOffset = _r.Consumed;
        _r.Advance(len);
        ExpectCrlf(ref _r);
        SetPayload(start, startOffset, len);
    }

    private void SetPayload(SequencePosition start, long startOffset, long length)
    {
        _payloadOffset = startOffset;
        _length = length;
        ReadOnlySequence<byte> payload = _frame.Slice(start, length);
        _single = payload.IsSingleSegment;
        _span = _single ? payload.FirstSpan : default;
    }

    private byte[] PayloadToArray()
    {
        if (_streamedString) return Assemble();
        return _single ? _span.ToArray() : _frame.Slice(_payloadOffset, _length).ToArray();
    }

    // A numeric payload of at most MaxNumberLine bytes, copied to the buffer only when it is not contiguous.
    private readonly ReadOnlySpan<byte> SmallPayload(Span<byte> buffer)
    {
        if (_single && !_streamedString) return _span;
        if (_streamedString) CopyChunks(_frame.Slice(_payloadOffset), buffer[..(int)_length]);
        else _frame.Slice(_payloadOffset, _length).CopyTo(buffer);
        return buffer[..(int)_length];
    }

    // Joins the chunks of a streamed string (rare path: one allocation sized by bytes already received).
    private byte[] Assemble()
    {
        if (_assembled is not null) return _assembled;
        var result = new byte[_length];
        CopyChunks(_frame.Slice(_payloadOffset), result);
        return _assembled = result;
    }

    // Copies the payload of ";len" chunks (already validated) into destination, which is exactly the total length.
    private static void CopyChunks(ReadOnlySequence<byte> chunks, Span<byte> destination)
    {
        var c = new SequenceReader<byte>(chunks);
        int written = 0;
        while (written < destination.Length)
        {
            long at = c.Consumed;
            c.Advance(1); // ';'
            int len = (int)ReadLength(ref c, at, allowNull: false, allowStreamed: false);
            c.TryCopyTo(destination.Slice(written, len));
            c.Advance(len + 2);
            written += len;
        }
    }

    /// <summary>
    /// Reads a length line. A length can never exceed the bytes left in the frame (a payload byte is a byte, an
    /// element takes at least three): a larger one means a truncated or lying frame and is refused here, once, so
    /// no later arithmetic on it (payload + CRLF, pairs × 2) can overflow or run past the frame.
    /// </summary>
    private static long ReadLength(ref SequenceReader<byte> r, long at, bool allowNull, bool allowStreamed)
    {
        Span<byte> scratch = stackalloc byte[RespSyntax.MaxNumberLine];
        if (!RespSyntax.TryReadLine(r, scratch, 0, out ReadOnlySpan<byte> line, out int used)) throw Truncated(r.Consumed);
        r.Advance(used);
        long length = RespSyntax.ParseLength(line, at + 1, allowNull, allowStreamed);
        if (length > r.Remaining) throw Truncated(r.Consumed);
        return length;
    }

    private static void ExpectCrlf(ref SequenceReader<byte> r)
    {
        if (!RespSyntax.TryExpectCrlf(ref r, 0)) throw Truncated(r.Consumed);
    }

    private static RespProtocolException Truncated(long offset)
        => RespProtocolException.Expected(offset, "more bytes", "the end of the frame");

    private readonly InvalidCastException Cast(string target) => new($"Cannot convert a RESP {_type} to {target}.");
}
