namespace Keyslot.Testing.Internal;

/// <summary>Finds the redis-server executable.</summary>
internal static class RedisServerLocator
{
    public static string Locate(string? configuredPath)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return File.Exists(configuredPath)
                ? Path.GetFullPath(configuredPath)
                : throw new RedisServerNotFoundException($"LocalRedisClusterOptions.RedisServerPath '{configuredPath}' does not exist");
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new RedisServerNotFoundException("searched PATH");
    }
}
