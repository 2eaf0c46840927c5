using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>What the router knows about one command: where its keys are, whether it only reads, and its policy tips.</summary>
internal sealed class CommandInfo
{
    public CommandInfo(string name, CommandFlags flags, IReadOnlyList<KeySpec> keySpecs, string? requestPolicy = null, string? responsePolicy = null,
        IReadOnlyDictionary<string, CommandInfo>? subcommands = null)
    {
        Name = name;
        Flags = flags;
        KeySpecs = keySpecs;
        RequestPolicy = requestPolicy;
        ResponsePolicy = responsePolicy;
        Subcommands = subcommands;
    }

    public string Name { get; }
    public CommandFlags Flags { get; }
    public IReadOnlyList<KeySpec> KeySpecs { get; }

    /// <summary>The <c>request_policy</c> tip (e.g. <c>all_shards</c>), for fan-out.</summary>
    public string? RequestPolicy { get; }

    /// <summary>The <c>response_policy</c> tip (e.g. <c>agg_sum</c>), for merging fan-out replies.</summary>
    public string? ResponsePolicy { get; }

    /// <summary>Container commands (CLUSTER, OBJECT, XINFO…) describe their subcommands separately.</summary>
    public IReadOnlyDictionary<string, CommandInfo>? Subcommands { get; }

    /// <summary>Collects the slots of this command's keys in <paramref name="args"/> (the arguments after the name).</summary>
    public void CollectKeys(ReadOnlySpan<RedisArgument> args, ref KeySlotCollector keys)
    {
        foreach (KeySpec spec in KeySpecs) spec.CollectKeys(args, ref keys);
    }
}
