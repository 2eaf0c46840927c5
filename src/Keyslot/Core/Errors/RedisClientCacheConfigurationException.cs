namespace Keyslot;

/// <summary>
/// The client-side cache (<see cref="ClusterOptions.ClientCacheSize"/>) was asked for with settings it cannot work
/// with, such as <c>protocol=resp2</c>: invalidations need RESP3 pushes. Raised by <see cref="ClusterOptions.Validate"/>,
/// before anything connects.
/// </summary>
public sealed class RedisClientCacheConfigurationException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisClientCacheConfigurationException(string message) : base(message) { }
}
