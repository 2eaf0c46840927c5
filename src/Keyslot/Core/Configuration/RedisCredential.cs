namespace Keyslot;

/// <summary>
/// A user and password for AUTH, as returned by <see cref="ClusterOptions.CredentialProvider"/>, with the moment it
/// stops being accepted for new connections (an ElastiCache IAM token: 15 minutes after it was signed).
/// </summary>
/// <remarks>The password is never shown by <see cref="ToString"/>.</remarks>
public sealed class RedisCredential
{
    /// <summary>Creates a credential.</summary>
    /// <param name="user">The ACL user; null authenticates as the <c>default</c> user.</param>
    /// <param name="password">The password or token; required.</param>
    /// <param name="expiresAt">When it stops being valid; null when it does not expire (it is then kept until a server refuses it).</param>
    /// <exception cref="ArgumentException"><paramref name="password"/> is null or empty, or <paramref name="user"/> is empty.</exception>
    public RedisCredential(string? user, string password, DateTimeOffset? expiresAt = null)
    {
        if (string.IsNullOrEmpty(password)) throw new ArgumentException("A credential needs a non-empty password (or token).", nameof(password));
        if (user is { Length: 0 }) throw new ArgumentException("The user of a credential must be null (the default user) or non-empty.", nameof(user));
        User = user;
        Password = password;
        ExpiresAt = expiresAt;
    }

    /// <summary>The fixed <see cref="ClusterOptions.User"/> and <see cref="ClusterOptions.Password"/>, taken as they are (validated as options).</summary>
    internal RedisCredential(string? user, string password, bool asConfigured)
    {
        _ = asConfigured;
        User = user;
        Password = password;
    }

    /// <summary>The ACL user; null for the <c>default</c> user.</summary>
    public string? User { get; }

    /// <summary>The password or token.</summary>
    public string Password { get; }

    /// <summary>When the credential stops being valid; null when it does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>The user and expiry, never the password.</summary>
    /// <returns>For example <c>user=app, password=*****, expires=2026-01-01T00:15:00.0000000+00:00</c>.</returns>
    public override string ToString() =>
        $"user={User ?? "default"}, password=*****, expires={(ExpiresAt is { } e ? e.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "never")}";
}
