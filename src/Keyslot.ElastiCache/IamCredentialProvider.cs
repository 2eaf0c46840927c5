using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Keyslot.ElastiCache.Signing;

namespace Keyslot.ElastiCache;

/// <summary>
/// Signs a new token on every call (signing is a few HMACs; the core asks once per connection and before expiry, and
/// shares one call among concurrent handshakes). The AWS credentials are asked each time: the SDK caches and renews
/// temporary ones itself.
/// </summary>
internal sealed class IamCredentialProvider
{
    private readonly ElastiCacheIamOptions _iam;
    private readonly string _cacheName, _userId, _region;
    private readonly bool _serverless;
    private AWSCredentials? _credentials;

    public IamCredentialProvider(ElastiCacheIamOptions iam)
    {
        _iam = iam;
        // Copied: a later change to the options object does not change what this client signs for.
        _cacheName = iam.CacheName;
        _userId = iam.UserId;
        _region = iam.Region;
        _serverless = iam.Serverless;
        _credentials = iam.Credentials;
    }

    public async ValueTask<RedisCredential> GetAsync(CancellationToken cancellationToken)
    {
        AWSCredentials credentials = _credentials ??= DefaultAWSCredentialsIdentityResolver.GetCredentials();
        ImmutableCredentials keys = await credentials.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _iam.TimeProvider.GetUtcNow();
        string token = IamAuthToken.Create(_cacheName, _userId, _region, _serverless, keys.AccessKey, keys.SecretKey, keys.UseToken ? keys.Token : null, now);
        return new RedisCredential(_userId, token, now + IamAuthToken.Validity);
    }
}
