namespace Keyslot.Connections;

/// <summary>
/// A credential as the client holds it: numbered in the order the provider gave them, so that a connection can tell
/// whether it authenticated with the latest one. Marked refused once a server rejected it, so it is not offered again.
/// </summary>
internal sealed class IssuedCredential(RedisCredential credential, long version)
{
    private volatile bool _refused;

    public RedisCredential Credential { get; } = credential;

    /// <summary>1 for the provider's first credential, then one more per refresh; 0 for a fixed password.</summary>
    public long Version { get; } = version;

    public string? User => Credential.User;

    public string Password => Credential.Password;

    public bool Refused => _refused;

    public void MarkRefused() => _refused = true;

    /// <summary>True while it may be offered to a server: not refused and not past its expiry.</summary>
    public bool IsUsable(DateTimeOffset now) => !_refused && (Credential.ExpiresAt is not { } expires || now < expires);
}
