namespace Keyslot;

/// <summary>When EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT set the expiry (Redis 7.0+ for anything but <see cref="Always"/>).</summary>
public enum ExpireWhen
{
    /// <summary>Always.</summary>
    Always,
    /// <summary>NX: only when the key has no expiry.</summary>
    HasNoExpiry,
    /// <summary>XX: only when the key has an expiry.</summary>
    HasExpiry,
    /// <summary>GT: only when the new expiry is later than the current one (a key without one counts as never expiring, so this never sets it).</summary>
    GreaterThanCurrentExpiry,
    /// <summary>LT: only when the new expiry is sooner than the current one (a key without one counts as never expiring, so this always sets it).</summary>
    LessThanCurrentExpiry,
}
