using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

/// <summary>
/// One typed command as it is written once (in <see cref="RedisCommands"/>): what goes on the wire (arguments
/// validated when it is made), the slot of its keys, its flags (read-only or not; whether a write may be sent again
/// is <see cref="RetrySafety"/>'s to say, from the command itself) and how its reply becomes the result. The client
/// sends it, a batch or a transaction queues it; none of them adds anything of its own.
/// </summary>
internal readonly struct CommandDefinition<T>
{
    public CommandDefinition(in RespCommand command, int slot, CommandFlags flags, ReplyParser<T> parser)
    {
        Command = command;
        Slot = slot;
        Flags = flags;
        Parser = parser;
    }

    /// <summary>A command on one key, <paramref name="key"/>: a write of it retires only that key's cached reads.</summary>
    public CommandDefinition(in RespCommand command, int slot, CommandFlags flags, ReplyParser<T> parser, RedisKey key)
        : this(command, slot, flags, parser) => Key = key;

    public readonly RespCommand Command;
    public readonly int Slot;
    public readonly CommandFlags Flags;
    public readonly ReplyParser<T> Parser;
    /// <summary>The command's only key, when it has exactly one (default otherwise).</summary>
    public readonly RedisKey Key;
}
