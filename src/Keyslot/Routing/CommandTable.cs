using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// Finds the slot of any command from its name and arguments, using the server's own description of its commands
/// (<c>COMMAND</c>, read at connect) or, where that fails, a built-in table of the common ones. An unknown command
/// is treated as keyless: if it does have keys, the server's MOVED reply routes it.
/// </summary>
internal sealed class CommandTable
{
    private readonly Dictionary<string, CommandInfo> _commands;

    public CommandTable(Dictionary<string, CommandInfo> commands) => _commands = commands;

    /// <summary>The table used before (or instead of) the server's.</summary>
    public static CommandTable BuiltIn { get; } = new(BuiltInCommands.Create());

    public int Count => _commands.Count;

    public CommandInfo? Find(string name, ReadOnlySpan<RedisArgument> args)
    {
        if (!_commands.TryGetValue(name, out CommandInfo? info)) return null;
        if (info.Subcommands is { } subs && args.Length > 0 && args[0].Kind == ArgumentKind.Text
            && subs.TryGetValue(args[0].Text, out CommandInfo? sub))
        {
            return sub;
        }
        return info;
    }

    /// <summary>
    /// The slot of the command's keys and its flags. Throws <see cref="RedisCrossSlotException"/> (before anything is
    /// sent) when its keys map to different slots.
    /// </summary>
    public int Route(string name, ReadOnlySpan<RedisArgument> args, out CommandFlags flags)
    {
        CommandInfo? info = Find(name, args);
        if (info is null)
        {
            flags = CommandFlags.None;
            return KeySlot.None;
        }
        flags = info.Flags;
        var keys = new KeySlotCollector();
        info.CollectKeys(args, ref keys);
        if (keys.OtherSlot != KeySlot.None) throw new RedisCrossSlotException(name.ToUpperInvariant(), keys.Slot, keys.OtherSlot);
        return keys.Slot;
    }

    /// <summary>
    /// Builds the table from a <c>COMMAND</c> reply (Redis 7 entries carry key specs, tips and subcommands). A reply
    /// that is not what the server documents (missing fields, wrong types, impossible key positions) throws
    /// <see cref="RespProtocolException"/>, and the client keeps the built-in table: a half-read table would route
    /// some commands to the wrong node.
    /// </summary>
    public static CommandTable FromCommandReply(RespValue reply)
    {
        var commands = new Dictionary<string, CommandInfo>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (RespValue entry in reply.AsSpan())
            {
                CommandInfo info = ParseEntry(entry);
                commands[info.Name] = info;
            }
        }
        catch (Exception ex) when (ex is InvalidCastException or KeyNotFoundException or IndexOutOfRangeException or OverflowException
            or FormatException or ArgumentException)
        {
            throw new RespProtocolException(0, "COMMAND returned an entry of an unexpected shape: " + ex.Message);
        }
        if (commands.Count == 0) throw new RespProtocolException(0, "COMMAND returned no commands.");
        return new CommandTable(commands);
    }

    private static CommandInfo ParseEntry(RespValue entry)
    {
        ReadOnlySpan<RespValue> e = entry.AsSpan();
        if (e.Length < 6) throw new RespProtocolException(0, "A COMMAND entry has fewer than 6 fields.");
        string fullName = e[0].AsString() ?? throw new RespProtocolException(0, "A COMMAND entry has no name.");
        // Subcommands are named "container|sub"; the lookup key is the part after the bar.
        string name = fullName.Contains('|') ? fullName[(fullName.IndexOf('|') + 1)..] : fullName;
        CommandFlags flags = CommandFlags.None;
        foreach (RespValue flag in e[2].AsSpan())
        {
            if (flag.AsString() == "readonly") flags |= CommandFlags.ReadOnly;
        }

        string? requestPolicy = null, responsePolicy = null;
        if (e.Length > 7)
        {
            foreach (RespValue tip in e[7].AsSpan())
            {
                string? text = tip.AsString();
                if (text is null) continue;
                if (text.StartsWith("request_policy:", StringComparison.Ordinal)) requestPolicy = text["request_policy:".Length..];
                else if (text.StartsWith("response_policy:", StringComparison.Ordinal)) responsePolicy = text["response_policy:".Length..];
            }
        }

        var specs = new List<KeySpec>();
        if (e.Length > 8 && e[8].Count > 0)
        {
            foreach (RespValue spec in e[8].AsSpan())
            {
                if (ParseKeySpec(spec) is { } parsed) specs.Add(parsed);
            }
        }
        else
        {
            int first = checked((int)e[3].AsInt64()), last = checked((int)e[4].AsInt64()), step = checked((int)e[5].AsInt64());
            if (first > 0) specs.Add(KeySpec.Range(first, last, Math.Max(1, step)));
        }

        Dictionary<string, CommandInfo>? subcommands = null;
        if (e.Length > 9 && e[9].Count > 0)
        {
            subcommands = new Dictionary<string, CommandInfo>(StringComparer.OrdinalIgnoreCase);
            foreach (RespValue sub in e[9].AsSpan())
            {
                CommandInfo info = ParseEntry(sub);
                subcommands[info.Name] = info;
            }
        }
        return new CommandInfo(name, flags, specs, requestPolicy, responsePolicy, subcommands);
    }

    private static KeySpec? ParseKeySpec(RespValue value)
    {
        IReadOnlyDictionary<string, RespValue> spec = value.AsMap();
        if (!spec.TryGetValue("begin_search", out RespValue bsValue) || !spec.TryGetValue("find_keys", out RespValue fkValue)) return null;
        IReadOnlyDictionary<string, RespValue> bs = bsValue.AsMap(), fk = fkValue.AsMap();
        string? bsType = bs.TryGetValue("type", out RespValue t1) ? t1.AsString() : null;
        string? fkType = fk.TryGetValue("type", out RespValue t2) ? t2.AsString() : null;
        if (!bs.TryGetValue("spec", out RespValue bsSpecValue) || !fk.TryGetValue("spec", out RespValue fkSpecValue)) return null;
        IReadOnlyDictionary<string, RespValue> bsSpec = bsSpecValue.AsMap(), fkSpec = fkSpecValue.AsMap();

        int beginIndex = 0, startFrom = 0;
        string? keyword = null;
        switch (bsType)
        {
            case "index": beginIndex = Int(bsSpec, "index", min: 1); break;
            case "keyword":
                keyword = bsSpec.TryGetValue("keyword", out RespValue k) ? k.AsString() : null;
                if (string.IsNullOrEmpty(keyword)) throw new RespProtocolException(0, "A COMMAND key spec searches for a keyword but names none.");
                startFrom = Int(bsSpec, "startfrom", min: int.MinValue);
                break;
            default: return null; // "unknown": the keys cannot be found from the arguments alone
        }
        return fkType switch
        {
            "range" => new KeySpec(beginIndex, keyword, startFrom, false, Int(fkSpec, "lastkey", min: int.MinValue), Int(fkSpec, "keystep", min: 1),
                Int(fkSpec, "limit", min: 0), 0, 0),
            "keynum" => new KeySpec(beginIndex, keyword, startFrom, true, 0, Int(fkSpec, "keystep", min: 1), 0, Int(fkSpec, "keynumidx", min: 0),
                Int(fkSpec, "firstkey", min: 1)),
            _ => null,
        };
    }

    /// <summary>A key-spec field: present, an integer, within int and at least <paramref name="min"/> (positions the server would never give are refused).</summary>
    private static int Int(IReadOnlyDictionary<string, RespValue> map, string key, int min)
    {
        if (!map.TryGetValue(key, out RespValue v)) throw new RespProtocolException(0, $"A COMMAND key spec has no \"{key}\".");
        long value = v.AsInt64();
        if (value < min || value > int.MaxValue) throw new RespProtocolException(0, $"A COMMAND key spec has \"{key}\" {value}, outside {min}..{int.MaxValue}.");
        return (int)value;
    }
}
