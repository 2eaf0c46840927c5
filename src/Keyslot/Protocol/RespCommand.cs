using System.Buffers;
using System.Runtime.CompilerServices;

namespace Keyslot.Protocol;

/// <summary>
/// A command as it goes on the wire: its name and arguments, kept as given and encoded straight into the
/// connection's buffer, so that it can be written again after a redirect. Up to <see cref="InlineCapacity"/>
/// arguments are stored inline, so typed commands allocate nothing.
/// </summary>
internal readonly struct RespCommand
{
    public const int InlineCapacity = 8;

    [InlineArray(InlineCapacity)]
    private struct InlineArguments
    {
        private RedisArgument _first;
    }

    private readonly InlineArguments _inline;
    private readonly RedisArgument[]? _array;   // when there are more arguments than fit inline

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
            if (this[i].Kind == ArgumentKind.None) throw new ArgumentException($"Argument {i + 1} of {name} is default(RedisArgument); pass a value.");
        }
    }

    /// <summary>The command's name as sent (e.g. "GET", "CLUSTER").</summary>
    public string Name { get; }

    /// <summary>Number of arguments after the name.</summary>
    public int Count { get; }

    public RedisArgument this[int index] => _array is not null ? _array[index] : _inline[index];

    /// <summary>Writes the command as a RESP array of bulk strings.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
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
                default: throw new ArgumentException($"Argument {i + 1} of {Name} is default(RedisArgument); pass a value.");
            }
        }
    }

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

    public override string ToString() => Name;
}
