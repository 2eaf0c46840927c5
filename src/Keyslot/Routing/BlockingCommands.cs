using System.Globalization;
using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// The commands that block their connection until a timeout or an event, and where each says how long it may wait:
/// the one table that both the refusal on shared connections (<see cref="ConnectionStateGuard"/>) and the blocking
/// road (<see cref="BlockingRunner"/>, which bounds the wait by it) read.
/// </summary>
internal static class BlockingCommands
{
    /// <summary>Where a blocking command's timeout stands and in what unit.</summary>
    private enum TimeoutAt : byte
    {
        LastSeconds,
        FirstSeconds,
        LastMilliseconds,
        BlockOption,
    }

    private static readonly Dictionary<string, TimeoutAt> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BLPOP"] = TimeoutAt.LastSeconds,
        ["BRPOP"] = TimeoutAt.LastSeconds,
        ["BRPOPLPUSH"] = TimeoutAt.LastSeconds,
        ["BLMOVE"] = TimeoutAt.LastSeconds,
        ["BZPOPMIN"] = TimeoutAt.LastSeconds,
        ["BZPOPMAX"] = TimeoutAt.LastSeconds,
        ["BLMPOP"] = TimeoutAt.FirstSeconds,
        ["BZMPOP"] = TimeoutAt.FirstSeconds,
        ["WAIT"] = TimeoutAt.LastMilliseconds,
        ["WAITAOF"] = TimeoutAt.LastMilliseconds,
        ["XREAD"] = TimeoutAt.BlockOption,
        ["XREADGROUP"] = TimeoutAt.BlockOption,
    };

    /// <summary>True when the command blocks its connection (XREAD/XREADGROUP only with BLOCK).</summary>
    public static bool IsBlocking(string command, ReadOnlySpan<RedisArgument> args) =>
        Table.TryGetValue(command, out TimeoutAt at) && (at != TimeoutAt.BlockOption || BlockOptionIndex(args) >= 0);

    /// <summary>
    /// WAIT and WAITAOF: they wait for the writes made on their own connection, so they mean something only on the
    /// connection that made the caller's writes (refused: see <see cref="ConnectionStateGuard"/>).
    /// </summary>
    public static bool MeasuresItsConnection(string command) =>
        command.Equals("WAIT", StringComparison.OrdinalIgnoreCase) || command.Equals("WAITAOF", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the commands that block whatever their arguments (not XREAD/XREADGROUP, which need BLOCK).</summary>
    public static bool AlwaysBlocks(string command) => Table.TryGetValue(command, out TimeoutAt at) && at != TimeoutAt.BlockOption;

    /// <summary>
    /// How long the server may keep the command waiting: null for "until an event" (a timeout of 0) or a timeout
    /// Keyslot cannot read (the server will refuse it at once). The client's own bound is this plus the command timeout.
    /// </summary>
    public static TimeSpan? ServerTimeout(in RespCommand command)
    {
        if (command.Count == 0 || !Table.TryGetValue(command.Name, out TimeoutAt at)) return null;
        double value = 0;
        bool read;
        switch (at)
        {
            case TimeoutAt.LastSeconds:
                read = TryNumber(command[command.Count - 1], out value);
                value *= 1000;
                break;
            case TimeoutAt.FirstSeconds:
                read = TryNumber(command[0], out value);
                value *= 1000;
                break;
            case TimeoutAt.LastMilliseconds:
                read = TryNumber(command[command.Count - 1], out value);
                break;
            default:
                int block = BlockOptionIndex(command);
                read = block >= 0 && block + 1 < command.Count && TryNumber(command[block + 1], out value);
                break;
        }
        if (!read || value <= 0 || double.IsNaN(value) || value > TimeSpan.MaxValue.TotalMilliseconds / 2) return null;
        return TimeSpan.FromMilliseconds(value);
    }

    /// <summary>The index of XREAD/XREADGROUP's BLOCK option, looked for before STREAMS only (after it come keys and IDs, any of which may be "BLOCK").</summary>
    private static int BlockOptionIndex(ReadOnlySpan<RedisArgument> args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            RedisArgument arg = args[i];
            if (arg.Kind is not (ArgumentKind.Text or ArgumentKind.Bytes)) continue;
            if (arg.EqualsIgnoreCase("STREAMS")) return -1;
            if (arg.EqualsIgnoreCase("GROUP")) i += 2; // the group's and the consumer's names, which may be anything
            else if (arg.EqualsIgnoreCase("BLOCK")) return i;
        }
        return -1;
    }

    private static int BlockOptionIndex(in RespCommand command)
    {
        var args = new RedisArgument[command.Count]; // blocking commands are few and long: no need to spare this
        for (int i = 0; i < command.Count; i++) args[i] = command[i];
        return BlockOptionIndex(args);
    }

    private static bool TryNumber(RedisArgument argument, out double value)
    {
        switch (argument.Kind)
        {
            case ArgumentKind.Integer:
                value = argument.Integer;
                return true;
            case ArgumentKind.Double:
                value = argument.Double;
                return true;
            case ArgumentKind.Text or ArgumentKind.Bytes:
                return double.TryParse(argument.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }
}
