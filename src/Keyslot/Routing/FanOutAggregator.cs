using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// Merges the replies of a command sent to several nodes as its <c>response_policy</c> tip says (Redis 7
/// <c>COMMAND DOCS</c>): sum, logical and/or, min/max, all or one must succeed; without a tip, array replies are
/// concatenated (KEYS) and for any other reply the first node's answers for all (every node must still succeed).
/// </summary>
internal static class FanOutAggregator
{
    /// <summary>
    /// The merged reply. Replies that cannot be merged as the policy says (a string where a count belongs) fail with
    /// <see cref="RedisUnexpectedReplyException"/> naming the command and a node, as any wrong-shaped reply does.
    /// </summary>
    public static RespValue Aggregate(string command, string? responsePolicy, IReadOnlyList<NodeReply> replies)
    {
        try
        {
            return AggregateCore(command, responsePolicy, replies);
        }
        catch (InvalidCastException ex)
        {
            throw new RedisUnexpectedReplyException(command, replies.Count > 0 ? replies[0].Node : default,
                $"the nodes' replies cannot be combined as {responsePolicy ?? "a list"}: {ex.Message}", ex);
        }
    }

    private static RespValue AggregateCore(string command, string? responsePolicy, IReadOnlyList<NodeReply> replies)
    {
        if (responsePolicy == "one_succeeded")
        {
            foreach (NodeReply reply in replies) if (reply.Succeeded) return reply.Value;
            throw new RedisFanOutException(command, replies);
        }
        foreach (NodeReply reply in replies)
        {
            if (!reply.Succeeded) throw new RedisFanOutException(command, replies);
        }
        if (replies.Count == 0) return RespValue.Null;
        switch (responsePolicy)
        {
            case "agg_sum":
            {
                long sum = 0;
                foreach (NodeReply reply in replies) sum += reply.Value.AsInt64();
                return RespValue.FromInt64(sum);
            }
            case "agg_min":
            case "agg_max":
            {
                long best = replies[0].Value.AsInt64();
                foreach (NodeReply reply in replies) best = responsePolicy == "agg_min" ? Math.Min(best, reply.Value.AsInt64()) : Math.Max(best, reply.Value.AsInt64());
                return RespValue.FromInt64(best);
            }
            case "agg_logical_and":
            case "agg_logical_or":
                return Logical(replies, and: responsePolicy == "agg_logical_and");
            case "all_succeeded":
                return replies[0].Value;
            default:
                return Concatenate(replies);
        }
    }

    /// <summary>Element-wise AND/OR of integer arrays (SCRIPT EXISTS: a script exists only where every node has it).</summary>
    private static RespValue Logical(IReadOnlyList<NodeReply> replies, bool and)
    {
        if (!replies[0].Value.IsAggregate)
        {
            bool result = and;
            foreach (NodeReply reply in replies) result = and ? result && reply.Value.AsInt64() != 0 : result || reply.Value.AsInt64() != 0;
            return RespValue.FromInt64(result ? 1 : 0);
        }
        int length = replies[0].Value.Count;
        foreach (NodeReply reply in replies)
        {
            if (!reply.Value.IsAggregate || reply.Value.Count != length)
            {
                throw new RespProtocolException(0, $"Nodes answered with arrays of different lengths ({length} and {(reply.Value.IsAggregate ? reply.Value.Count : 1)}) from {reply.Node}; they cannot be combined element by element.");
            }
        }
        var combined = new RespValue[length];
        for (int i = 0; i < length; i++)
        {
            bool result = and;
            foreach (NodeReply reply in replies)
            {
                bool value = reply.Value[i].AsInt64() != 0;
                result = and ? result && value : result || value;
            }
            combined[i] = RespValue.FromInt64(result ? 1 : 0);
        }
        return RespValue.FromArray(combined);
    }

    private static RespValue Concatenate(IReadOnlyList<NodeReply> replies)
    {
        if (!replies[0].Value.IsAggregate) return replies[0].Value;
        var all = new List<RespValue>();
        foreach (NodeReply reply in replies) all.AddRange(reply.Value.AsSpan());
        return RespValue.FromArray([.. all]);
    }
}
