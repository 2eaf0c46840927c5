using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keyslot.ElastiCache.Signing;

/// <summary>
/// AWS Signature Version 4 (docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html): the
/// canonical request, the string to sign, the derived signing key and the signature. Only what an IAM auth token
/// needs (a GET with an empty body) plus signed headers, so AWS's published examples can check it.
/// </summary>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>SHA-256 of an empty body, hex: the payload hash of a GET.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>The ISO 8601 basic timestamp (X-Amz-Date) and its date part (the credential scope's date).</summary>
    public static (string Timestamp, string Date) Stamp(DateTimeOffset at)
    {
        DateTime utc = at.UtcDateTime;
        return (utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
    }

    public static string Scope(string date, string region, string service) => $"{date}/{region}/{service}/aws4_request";

    /// <summary>
    /// The canonical query string: every name and value URI-encoded (RFC 3986 unreserved characters kept), sorted by
    /// name, then by value.
    /// </summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var encoded = new List<(string Name, string Value)>();
        foreach (KeyValuePair<string, string> p in parameters) encoded.Add((UriEncode(p.Key), UriEncode(p.Value)));
        encoded.Sort(static (a, b) =>
        {
            int byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        var text = new StringBuilder();
        foreach ((string name, string value) in encoded)
        {
            if (text.Length > 0) text.Append('&');
            text.Append(name).Append('=').Append(value);
        }
        return text.ToString();
    }

    /// <summary>
    /// The canonical request of a request with an empty body: method, path, canonical query, the signed headers
    /// (names lower-cased, values trimmed, sorted by name) and the payload hash.
    /// </summary>
    public static string CanonicalRequest(string method, string path, string canonicalQuery, IReadOnlyList<KeyValuePair<string, string>> headers, out string signedHeaders)
    {
        var sorted = new List<(string Name, string Value)>(headers.Count);
        foreach (KeyValuePair<string, string> h in headers) sorted.Add((h.Key.ToLowerInvariant(), h.Value.Trim()));
        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var canonicalHeaders = new StringBuilder();
        var names = new StringBuilder();
        foreach ((string name, string value) in sorted)
        {
            canonicalHeaders.Append(name).Append(':').Append(value).Append('\n');
            if (names.Length > 0) names.Append(';');
            names.Append(name);
        }
        signedHeaders = names.ToString();
        return $"{method}\n{path}\n{canonicalQuery}\n{canonicalHeaders}\n{signedHeaders}\n{EmptyPayloadHash}";
    }

    public static string StringToSign(string timestamp, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{timestamp}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        byte[] key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        return Hmac(key, "aws4_request");
    }

    public static string Signature(byte[] signingKey, string stringToSign) => Hex(Hmac(signingKey, stringToSign));

    /// <summary>RFC 3986 percent-encoding as SigV4 wants it: A–Z a–z 0–9 - _ . ~ kept, every other UTF-8 byte %XX (upper case).</summary>
    public static string UriEncode(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            bool unreserved = b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';
            if (unreserved) text.Append((char)b);
            else text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
