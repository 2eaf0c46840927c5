using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Keyslot;

/// <summary>Loads CA certificates for <see cref="ClusterOptions.TrustIssuer(string)"/>.</summary>
internal static class IssuerCertificateLoader
{
    private const string PemMarker = "-----BEGIN CERTIFICATE-----";

    /// <summary>
    /// Loads every certificate from PEM text, or from a file holding PEM (one certificate or a bundle) or a single
    /// DER-encoded certificate (<c>.cer</c>/<c>.crt</c>/<c>.der</c>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The text is not PEM and no such file exists.</exception>
    /// <exception cref="ArgumentException">The PEM or file holds no certificate.</exception>
    internal static X509Certificate2Collection Load(string pemOrPath, string paramName)
    {
        var certificates = new X509Certificate2Collection();
        if (pemOrPath.Contains(PemMarker, StringComparison.Ordinal))
        {
            ImportPem(certificates, pemOrPath, "The PEM text", paramName);
            return certificates;
        }

        byte[] bytes = File.ReadAllBytes(pemOrPath);
        string asText = Encoding.ASCII.GetString(bytes);
        if (asText.Contains(PemMarker, StringComparison.Ordinal))
        {
            ImportPem(certificates, asText, $"The file '{pemOrPath}'", paramName);
            return certificates;
        }
        try
        {
            certificates.Add(X509CertificateLoader.LoadCertificate(bytes));
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException(
                $"The file '{pemOrPath}' is neither PEM nor a DER-encoded X.509 certificate: {e.Message}", paramName, e);
        }
        return certificates;
    }

    private static void ImportPem(X509Certificate2Collection certificates, string pem, string source, string paramName)
    {
        try
        {
            // Imports only CERTIFICATE blocks; other blocks (such as keys) in a bundle are skipped.
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"{source} contains a malformed PEM certificate: {e.Message}", paramName, e);
        }
        if (certificates.Count == 0)
        {
            throw new ArgumentException($"{source} contains no PEM certificate.", paramName);
        }
    }
}
