namespace Keyslot.ElastiCache.Signing;

/// <summary>
/// An ElastiCache IAM auth token: a SigV4-presigned <c>GET http://{cache}/?Action=connect&amp;User={user}</c> for the
/// service <c>elasticache</c>, valid 15 minutes (X-Amz-Expires=900), without its <c>http://</c> scheme. It is sent as
/// the password of AUTH/HELLO, with the user id as the user name.
/// </summary>
internal static class IamAuthToken
{
    public const string Service = "elasticache";

    /// <summary>How long a token is valid: ElastiCache accepts it for 15 minutes from its signing time.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(15);

    public static string Create(string cacheName, string userId, string region, bool serverless,
        string accessKey, string secretKey, string? sessionToken, DateTimeOffset signedAt)
    {
        string host = cacheName.ToLowerInvariant();
        (string timestamp, string date) = SigV4.Stamp(signedAt);
        string scope = SigV4.Scope(date, region, Service);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("Action", "connect"),
            new("User", userId),
            new("X-Amz-Algorithm", SigV4.Algorithm),
            new("X-Amz-Credential", accessKey + "/" + scope),
            new("X-Amz-Date", timestamp),
            new("X-Amz-Expires", ((int)Validity.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("X-Amz-SignedHeaders", "host"),
        };
        if (serverless) parameters.Add(new("ResourceType", "ServerlessCache"));
        if (!string.IsNullOrEmpty(sessionToken)) parameters.Add(new("X-Amz-Security-Token", sessionToken));
        string query = SigV4.CanonicalQuery(parameters);
        string canonical = SigV4.CanonicalRequest("GET", "/", query, [new("host", host)], out _);
        string signature = SigV4.Signature(SigV4.SigningKey(secretKey, date, region, Service), SigV4.StringToSign(timestamp, scope, canonical));
        return $"{host}/?{query}&X-Amz-Signature={signature}";
    }
}
