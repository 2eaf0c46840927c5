namespace Keyslot.Extensions.Caching;

/// <summary>What makes an instance name unusable on a cluster.</summary>
internal static class InstanceNames
{
    /// <summary>
    /// Null when <paramref name="instanceName"/> is fine; else why not. A prefix holding a complete hash tag
    /// (<c>{x}</c>) fixes the slot of every key (the server hashes only the first tag), so the whole cache would live
    /// on one shard.
    /// </summary>
    public static string? Problem(string? instanceName)
    {
        if (string.IsNullOrEmpty(instanceName))
        {
            return null;
        }
        int open = instanceName.IndexOf('{', StringComparison.Ordinal);
        int close = open < 0 ? -1 : instanceName.IndexOf('}', open + 1);
        return close > open + 1
            ? $"The instance name '{instanceName}' contains the hash tag '{instanceName[open..(close + 1)]}': every cache key would hash to one slot and all entries live on one node. Use a prefix without braces, such as 'myapp:'."
            : null;
    }
}
