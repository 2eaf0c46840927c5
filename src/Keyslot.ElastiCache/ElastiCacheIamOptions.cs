using Amazon.Runtime;

namespace Keyslot.ElastiCache;

/// <summary>What an ElastiCache IAM auth token is signed for, and with which AWS credentials.</summary>
public sealed class ElastiCacheIamOptions
{
    /// <summary>The replication group id (or, with <see cref="Serverless"/>, the serverless cache's name) the token is for.</summary>
    public string CacheName { get; set; } = "";

    /// <summary>The ElastiCache user id (IAM-enabled user); sent as the AUTH user name.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The cache's AWS region, such as <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "";

    /// <summary>True for an ElastiCache Serverless cache (the token then says <c>ResourceType=ServerlessCache</c>).</summary>
    public bool Serverless { get; set; }

    /// <summary>
    /// The AWS credentials to sign with; null (the default) takes the AWS SDK's default chain (environment, profile,
    /// container or instance role), resolved on first use. Temporary credentials are asked again for every token, so
    /// their own refresh applies.
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>The clock tokens are signed with (tests fix it); the system clock by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
