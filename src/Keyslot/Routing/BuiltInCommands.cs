namespace Keyslot.Routing;

/// <summary>
/// The command table used when the server's <c>COMMAND</c> cannot be read: the common commands with their key
/// positions (first, last, step as <c>COMMAND</c> reports them) and read-only flag. Which writes are safe to send
/// twice is <see cref="RetrySafety"/>'s to say.
/// </summary>
internal static class BuiltInCommands
{
    // name, read-only, first key, last key, step (0 = keyless; negative last counts from the end)
    private static readonly (string Name, bool ReadOnly, int First, int Last, int Step)[] Ranges =
    [
        ("get", true, 1, 1, 1), ("getex", false, 1, 1, 1), ("getdel", false, 1, 1, 1), ("getrange", true, 1, 1, 1), ("strlen", true, 1, 1, 1),
        ("set", false, 1, 1, 1), ("setex", false, 1, 1, 1), ("psetex", false, 1, 1, 1), ("setnx", false, 1, 1, 1), ("append", false, 1, 1, 1),
        ("incr", false, 1, 1, 1), ("incrby", false, 1, 1, 1), ("incrbyfloat", false, 1, 1, 1), ("decr", false, 1, 1, 1), ("decrby", false, 1, 1, 1),
        ("mget", true, 1, -1, 1), ("mset", false, 1, -1, 2), ("msetnx", false, 1, -1, 2),
        ("del", false, 1, -1, 1), ("unlink", false, 1, -1, 1), ("exists", true, 1, -1, 1), ("touch", true, 1, -1, 1), ("type", true, 1, 1, 1),
        ("expire", false, 1, 1, 1), ("pexpire", false, 1, 1, 1), ("expireat", false, 1, 1, 1), ("pexpireat", false, 1, 1, 1),
        ("ttl", true, 1, 1, 1), ("pttl", true, 1, 1, 1), ("persist", false, 1, 1, 1), ("rename", false, 1, 2, 1), ("copy", false, 1, 2, 1), ("dump", true, 1, 1, 1),
        ("hget", true, 1, 1, 1), ("hset", false, 1, 1, 1), ("hsetnx", false, 1, 1, 1), ("hmset", false, 1, 1, 1), ("hmget", true, 1, 1, 1), ("hgetall", true, 1, 1, 1),
        ("hdel", false, 1, 1, 1), ("hincrby", false, 1, 1, 1), ("hincrbyfloat", false, 1, 1, 1), ("hexists", true, 1, 1, 1), ("hlen", true, 1, 1, 1),
        ("hkeys", true, 1, 1, 1), ("hvals", true, 1, 1, 1), ("hscan", true, 1, 1, 1),
        ("lpush", false, 1, 1, 1), ("rpush", false, 1, 1, 1), ("lpop", false, 1, 1, 1), ("rpop", false, 1, 1, 1), ("lrange", true, 1, 1, 1), ("llen", true, 1, 1, 1),
        ("lindex", true, 1, 1, 1), ("ltrim", false, 1, 1, 1), ("lrem", false, 1, 1, 1), ("lmove", false, 1, 2, 1),
        ("sadd", false, 1, 1, 1), ("srem", false, 1, 1, 1), ("smembers", true, 1, 1, 1), ("sismember", true, 1, 1, 1), ("scard", true, 1, 1, 1), ("sscan", true, 1, 1, 1),
        ("sunion", true, 1, -1, 1), ("sinter", true, 1, -1, 1), ("sdiff", true, 1, -1, 1),
        ("zadd", false, 1, 1, 1), ("zrem", false, 1, 1, 1), ("zrange", true, 1, 1, 1), ("zscore", true, 1, 1, 1), ("zcard", true, 1, 1, 1), ("zincrby", false, 1, 1, 1),
        ("zrank", true, 1, 1, 1), ("zrangebyscore", true, 1, 1, 1), ("zscan", true, 1, 1, 1),
        ("xadd", false, 1, 1, 1), ("xlen", true, 1, 1, 1), ("xrange", true, 1, 1, 1), ("xdel", false, 1, 1, 1), ("xtrim", false, 1, 1, 1),
        ("pfadd", false, 1, 1, 1), ("pfcount", true, 1, -1, 1), ("setrange", false, 1, 1, 1), ("getbit", true, 1, 1, 1), ("setbit", false, 1, 1, 1), ("bitcount", true, 1, 1, 1),
        ("ping", true, 0, 0, 0), ("echo", true, 0, 0, 0), ("info", true, 0, 0, 0), ("dbsize", true, 0, 0, 0), ("time", true, 0, 0, 0),
        ("cluster", true, 0, 0, 0), ("command", true, 0, 0, 0), ("config", false, 0, 0, 0), ("client", false, 0, 0, 0), ("flushall", false, 0, 0, 0), ("flushdb", false, 0, 0, 0),
        ("script", false, 0, 0, 0), ("function", false, 0, 0, 0), ("keys", true, 0, 0, 0), ("scan", true, 0, 0, 0), ("randomkey", true, 0, 0, 0), ("wait", false, 0, 0, 0),
    ];

    // Request/response policy tips, as Redis 7's COMMAND reports them: without them a fallback table would send
    // DBSIZE or FLUSHALL to one node only.
    private static readonly (string Name, string Request, string? Response)[] Tips =
    [
        ("dbsize", "all_shards", "agg_sum"), ("keys", "all_shards", null), ("flushall", "all_shards", "all_succeeded"),
        ("flushdb", "all_shards", "all_succeeded"), ("ping", "all_shards", "all_succeeded"),
    ];

    private static readonly (string Container, string Sub, bool ReadOnly, string Request, string Response)[] SubcommandTips =
    [
        ("script", "load", false, "all_nodes", "all_succeeded"), ("script", "flush", false, "all_nodes", "all_succeeded"),
        ("script", "exists", true, "all_shards", "agg_logical_and"), ("config", "set", false, "all_nodes", "all_succeeded"),
        ("config", "resetstat", false, "all_nodes", "all_succeeded"), ("function", "load", false, "all_shards", "all_succeeded"),
        ("function", "delete", false, "all_shards", "all_succeeded"), ("function", "flush", false, "all_shards", "all_succeeded"),
    ];

    // Commands whose keys follow a count argument at argv[2]: EVAL script numkeys key…
    private static readonly (string Name, bool ReadOnly)[] KeyCountAt2 =
    [
        ("eval", false), ("evalsha", false), ("eval_ro", true), ("evalsha_ro", true), ("fcall", false), ("fcall_ro", true),
    ];

    public static Dictionary<string, CommandInfo> Create()
    {
        var table = new Dictionary<string, CommandInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, readOnly, first, last, step) in Ranges)
        {
            KeySpec[] specs = first > 0 ? [KeySpec.Range(first, last, step)] : [];
            table[name] = new CommandInfo(name, Flags(readOnly), specs);
        }
        foreach (var (name, readOnly) in KeyCountAt2)
        {
            table[name] = new CommandInfo(name, Flags(readOnly), [KeySpec.KeyCount(2)]);
        }
        foreach (var (name, request, response) in Tips)
        {
            CommandInfo plain = table[name];
            table[name] = new CommandInfo(name, plain.Flags, plain.KeySpecs, request, response);
        }
        foreach (var (container, sub, readOnly, request, response) in SubcommandTips)
        {
            CommandInfo parent = table[container];
            var subs = new Dictionary<string, CommandInfo>(parent.Subcommands ?? new Dictionary<string, CommandInfo>(), StringComparer.OrdinalIgnoreCase)
            {
                [sub] = new CommandInfo(container + "|" + sub, Flags(readOnly), [], request, response),
            };
            table[container] = new CommandInfo(container, parent.Flags, parent.KeySpecs, parent.RequestPolicy, parent.ResponsePolicy, subs);
        }
        // XREAD … STREAMS key… id…: keys are the first half of what follows STREAMS.
        table["xread"] = new CommandInfo("xread", CommandFlags.ReadOnly, [new KeySpec(0, "STREAMS", 1, false, -1, 1, 2, 0, 0)]);
        return table;
    }

    private static CommandFlags Flags(bool readOnly) => readOnly ? CommandFlags.ReadOnly : CommandFlags.None;
}
