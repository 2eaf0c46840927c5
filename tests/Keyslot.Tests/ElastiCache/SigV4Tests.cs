using Keyslot.ElastiCache.Signing;

namespace Keyslot.Tests.ElastiCache;

/// <summary>
/// The signer against AWS's published Signature Version 4 examples (the IAM user guide's signing-key example and the
/// aws-sig-v4-test-suite cases get-vanilla and get-vanilla-query-order-key-case: credentials AKIDEXAMPLE /
/// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 2015-08-30 12:36:00 UTC, us-east-1, service "service").
/// </summary>
public sealed class SigV4Tests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void The_signing_key_matches_the_documented_example()
    {
        byte[] key = SigV4.SigningKey(Secret, "20150830", "us-east-1", "iam");
        Assert.Equal("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9", SigV4.Hex(key));
    }

    [Theory]
    [InlineData("", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]                           // get-vanilla
    [InlineData("Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")] // get-vanilla-query-order-key-case
    public void Test_suite_requests_get_the_published_signature(string query, string signature)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] nameValue = pair.Split('=');
            parameters.Add(new(nameValue[0], nameValue[1]));
        }
        (string timestamp, string date) = SigV4.Stamp(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));
        string canonical = SigV4.CanonicalRequest("GET", "/", SigV4.CanonicalQuery(parameters),
            [new("Host", "example.amazonaws.com"), new("X-Amz-Date", timestamp)], out string signedHeaders);

        Assert.Equal("host;x-amz-date", signedHeaders);
        string stringToSign = SigV4.StringToSign(timestamp, SigV4.Scope(date, "us-east-1", "service"), canonical);
        Assert.Equal(signature, SigV4.Signature(SigV4.SigningKey(Secret, date, "us-east-1", "service"), stringToSign));
    }

    [Theory]
    [InlineData("AZaz09-_.~", "AZaz09-_.~")]
    [InlineData("a b/c+d=e", "a%20b%2Fc%2Bd%3De")]
    [InlineData("é", "%C3%A9")]
    public void Uri_encoding_keeps_only_unreserved_characters(string value, string encoded) =>
        Assert.Equal(encoded, SigV4.UriEncode(value));
}
