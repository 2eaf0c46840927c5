namespace Keyslot.Testing;

/// <summary>Thrown when no <c>redis-server</c> executable can be found; the message says how to install it.</summary>
public sealed class RedisServerNotFoundException : LocalRedisClusterException
{
    /// <summary>The install command suggested in the message.</summary>
    public const string InstallHint = "apt-get update && apt-get install -y redis-server";

    /// <summary>Creates the exception.</summary>
    /// <param name="searched">Where the executable was looked for.</param>
    public RedisServerNotFoundException(string searched)
        : base($"redis-server was not found ({searched}). Local Redis Clusters need a real redis-server (7.0 or newer) on PATH. Install it with: {InstallHint}  (or set LocalRedisClusterOptions.RedisServerPath).")
    {
    }
}
