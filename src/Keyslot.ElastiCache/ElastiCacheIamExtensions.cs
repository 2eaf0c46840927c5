using System.Text.RegularExpressions;

namespace Keyslot.ElastiCache;

/// <summary>Wires ElastiCache IAM authentication into Keyslot's credential provider.</summary>
public static partial class ElastiCacheIamExtensions
{
    /// <summary>The most a connection lives when IAM is used and no maximum age was set: ElastiCache closes it at 12 hours.</summary>
    public static readonly TimeSpan DefaultMaxConnectionAge = TimeSpan.FromHours(11);

    /// <summary>
    /// Authenticates every connection with a freshly signed IAM auth token (SigV4, valid 15 minutes) and
    /// re-authenticates live connections before it expires (<see cref="ClusterOptions.CredentialRefreshMargin"/>).
    /// Also sets <see cref="ClusterOptions.MaxConnectionAge"/> to <see cref="DefaultMaxConnectionAge"/> unless it was
    /// set, so the 12-hour cut never takes a connection that is in use. Leave <c>user</c> and <c>password</c> unset.
    /// </summary>
    /// <param name="options">The client options.</param>
    /// <param name="iam">The cache, user, region and credentials.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentException">A required setting is missing or malformed (the message names it), or a fixed password is also set.</exception>
    public static ClusterOptions UseElastiCacheIam(this ClusterOptions options, ElastiCacheIamOptions iam)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(iam);
        if (string.IsNullOrWhiteSpace(iam.CacheName)) throw new ArgumentException("ElastiCacheIamOptions.CacheName is required: the replication group id (or serverless cache name) the token is for.", nameof(iam));
        if (string.IsNullOrWhiteSpace(iam.UserId)) throw new ArgumentException("ElastiCacheIamOptions.UserId is required: the IAM-enabled ElastiCache user id.", nameof(iam));
        if (!RegionShape().IsMatch(iam.Region)) throw new ArgumentException($"ElastiCacheIamOptions.Region '{iam.Region}' is not an AWS region name such as us-east-1.", nameof(iam));
        ArgumentNullException.ThrowIfNull(iam.TimeProvider, nameof(iam) + "." + nameof(iam.TimeProvider));
        if (options.Password is not null || options.User is not null)
        {
            throw new ArgumentException("UseElastiCacheIam signs the password itself: leave User and Password (user=, password=) unset.", nameof(options));
        }
        var provider = new IamCredentialProvider(iam);
        options.CredentialProvider = provider.GetAsync;
        options.MaxConnectionAge ??= DefaultMaxConnectionAge;
        return options;
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionShape();
}
