using System.Buffers;
using System.Runtime.CompilerServices;

namespace Keyslot.Protocol;

/// <summary>
/// A command as it goes on the wire: its name and arguments, kept as given and encoded straight into the
/// connection's buffer, so that it can be written again after a redirect. Up to <see cref="InlineCapacity"/>
/// arguments are stored inline, so typed commands allocate nothing.
/// </summary>
internal struct RespCommand
{
    public const int InlineCapacity = 8;

    [InlineArray(InlineCapacity)]
    private struct InlineArguments
    {
        private RedisArgument _first;
    }

    // Not readonly only for CopyFrom; every other member is readonly, so `in` parameters make no defensive copies.
    private InlineArguments _inline;
    private RedisArgument[]? _array;   // when there are more arguments than fit inline

    private RespCommand(string name, in InlineArguments inline, RedisArgument[]? array, int count)
    {
        Name = name;
        _inline = inline;
        _array = array;
        Count = count;
        // Checked here, when the command is made: found while writing, a bad argument would leave half a command in
        // a connection that every caller shares, and the server would close it on all of them.
        for (int i = 0; i < count; i++)
        {
            if (this[i].Kind == ArgumentKind.None) throw DefaultArgument(i);
        }
    }

    /// <summary>The command's name as sent (e.g. "GET", "CLUSTER").</summary>
    public string Name { readonly get; private set; }

    /// <summary>Number of arguments after the name.</summary>
    public int Count { readonly get; private set; }

    public readonly RedisArgument this[int index] => _array is not null ? _array[index] : _inline[index];

    /// <summary>
    /// Makes this, which must be clear (<c>default</c>), a copy of <paramref name="source"/> that copies only the inline
    /// arguments in use: this is a pooled operation's field on the heap, where each reference copied costs a write
    /// barrier, and a plain assignment copies all <see cref="InlineCapacity"/> for a command that mostly has one or two.
    /// </summary>
    public void CopyFrom(in RespCommand source)
    {
        System.Diagnostics.Debug.Assert(Name is null, "CopyFrom writes into a cleared command only.");
        Name = source.Name;
        Count = source.Count;
        _array = source._array;
        if (_array is not null) return;
        for (int i = 0; i < Count; i++) _inline[i] = source._inline[i];
    }

    /// <summary>Writes the command as a RESP array of bulk strings.</summary>
    public readonly void WriteTo(IBufferWriter<byte> writer)
    {
        int bound = MaxEncodedLength();
        if (bound > RespWriter.SingleSpanLimit)
        {
            WriteInParts(writer);
            return;
        }
        // The whole command into one span: each GetSpan and Advance is an interface call on the writer, and two of
        // them per argument were a visible share of a command's cost.
        Span<byte> span = writer.GetSpan(bound);
        int n = RespWriter.WriteArrayHeader(span, Count + 1);
        n += RespWriter.WriteBulkString(span[n..], Name.AsSpan());
        for (int i = 0; i < Count; i++)
        {
            RedisArgument arg = this[i];
            n += arg.Kind switch
            {
                ArgumentKind.Text => RespWriter.WriteBulkString(span[n..], arg.Text.AsSpan()),
                ArgumentKind.Bytes => RespWriter.WriteBulkString(span[n..], arg.Span),
                ArgumentKind.Integer => RespWriter.WriteBulkString(span[n..], arg.Integer),
                ArgumentKind.Double => RespWriter.WriteBulkString(span[n..], arg.Double),
                _ => throw DefaultArgument(i),
            };
        }
        writer.Advance(n);
    }

    /// <summary>A large command, element by element, so that the writer is never asked for one enormous span.</summary>
    private readonly void WriteInParts(IBufferWriter<byte> writer)
    {
        RespWriter.WriteArrayHeader(writer, Count + 1);
        RespWriter.WriteBulkString(writer, Name.AsSpan());
        for (int i = 0; i < Count; i++)
        {
            RedisArgument arg = this[i];
            switch (arg.Kind)
            {
                case ArgumentKind.Text: RespWriter.WriteBulkString(writer, arg.Text.AsSpan()); break;
                case ArgumentKind.Bytes: RespWriter.WriteBulkString(writer, arg.Span); break;
                case ArgumentKind.Integer: RespWriter.WriteBulkString(writer, arg.Integer); break;
                case ArgumentKind.Double: RespWriter.WriteBulkString(writer, arg.Double); break;
                default: throw DefaultArgument(i);
            }
        }
    }

    /// <summary>At least the bytes the command takes on the wire (text counted at its most UTF-8 bytes per character).</summary>
    private readonly int MaxEncodedLength()
    {
        const int PerElement = RespWriter.MaxHeader + 2;
        long bound = RespWriter.MaxHeader + PerElement + (long)Name.Length * RespWriter.MaxUtf8BytesPerChar;
        for (int i = 0; i < Count && bound <= RespWriter.SingleSpanLimit; i++)
        {
            RedisArgument arg = this[i];
            bound += PerElement + arg.Kind switch
            {
                ArgumentKind.Text => (long)arg.Text.Length * RespWriter.MaxUtf8BytesPerChar,
                ArgumentKind.Bytes => arg.Span.Length,
                _ => RespWriter.MaxNumberLength,
            };
        }
        return (int)Math.Min(bound, int.MaxValue);
    }

    private readonly ArgumentException DefaultArgument(int index) => new($"Argument {index + 1} of {Name} is default(RedisArgument); pass a value.");

    public static RespCommand Create(string name) => new(name, default, null, 0);

    public static RespCommand Create(string name, RedisArgument a0)
    {
        InlineArguments inline = default;
        inline[0] = a0;
        return new(name, inline, null, 1);
    }

    public static RespCommand Create(string name, RedisArgument a0, RedisArgument a1)
    {
        InlineArguments inline = default;
        inline[0] = a0;
        inline[1] = a1;
        return new(name, inline, null, 2);
    }

    public static RespCommand Create(string name, RedisArgument a0, RedisArgument a1, RedisArgument a2)
    {
        InlineArguments inline = default;
        inline[0] = a0;
        inline[1] = a1;
        inline[2] = a2;
        return new(name, inline, null, 3);
    }

    /// <summary>Builds a command from a span of arguments (copied inline when they fit, else into one array).</summary>
    public static RespCommand Create(string name, ReadOnlySpan<RedisArgument> args)
    {
        if (args.Length > InlineCapacity)
        {
            return new(name, default, args.ToArray(), args.Length);
        }
        InlineArguments inline = default;
        for (int i = 0; i < args.Length; i++) inline[i] = args[i];
        return new(name, inline, null, args.Length);
    }

    public override readonly string ToString() => Name;
}
