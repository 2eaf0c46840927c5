namespace Keyslot.Testing;

/// <summary>An ACL user created on every node of a <see cref="LocalRedisCluster"/>.</summary>
public sealed class LocalRedisUser
{
    /// <summary>Creates a user.</summary>
    /// <param name="name">The user name.</param>
    /// <param name="password">The user's password.</param>
    /// <param name="rules">ACL rules, e.g. <c>~* &amp;* +@all</c> (the default) or <c>~app:* +@read</c>.</param>
    public LocalRedisUser(string name, string password, string rules = "~* &* +@all")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(rules);
        if (name.Any(char.IsWhiteSpace) || password.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("User names and passwords must not contain whitespace.", nameof(name));
        }

        Name = name;
        Password = password;
        Rules = rules;
    }

    /// <summary>The user name.</summary>
    public string Name { get; }

    /// <summary>The user's password.</summary>
    public string Password { get; }

    /// <summary>ACL rules applied after <c>on &gt;password</c>.</summary>
    public string Rules { get; }

    /// <summary>The <c>user</c> directive written to redis.conf.</summary>
    internal string ToConfigLine() => $"user {Name} on >{Password} {Rules}";
}
