using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Keyslot.Testing;

/// <summary>
/// The TLS material of a TLS <see cref="LocalRedisCluster"/>: a throwaway CA and the server certificate every node
/// presents (valid for <c>localhost</c> and <c>127.0.0.1</c>). Clients under test trust <see cref="CaCertificate"/>.
/// </summary>
public sealed class LocalRedisTls : IDisposable
{
    internal LocalRedisTls(X509Certificate2 caCertificate, string caCertificatePath, string certificatePath, string keyPath)
    {
        CaCertificate = caCertificate;
        CaCertificatePath = caCertificatePath;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    /// <summary>The CA certificate (public part only) that signed the nodes' certificate.</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>Path of the CA certificate as PEM.</summary>
    public string CaCertificatePath { get; }

    /// <summary>Path of the nodes' server certificate as PEM.</summary>
    public string CertificatePath { get; }

    /// <summary>Path of the nodes' private key as PEM (PKCS#8).</summary>
    public string KeyPath { get; }

    /// <summary>The host name the certificate is valid for (<c>localhost</c>); use it as the TLS target host / SNI.</summary>
    public string ServerName => "localhost";

    /// <summary>
    /// A <see cref="RemoteCertificateValidationCallback"/> that accepts exactly the certificates chaining to
    /// <see cref="CaCertificate"/> (name checks still apply).
    /// </summary>
    /// <param name="sender">Unused.</param>
    /// <param name="certificate">The certificate the server presented.</param>
    /// <param name="chain">Unused; a chain is rebuilt against the CA.</param>
    /// <param name="sslPolicyErrors">Errors found by the platform's own validation.</param>
    /// <returns>True when the certificate chains to the CA and has no other errors.</returns>
    public bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors sslPolicyErrors)
    {
        if (certificate is null || (sslPolicyErrors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.CustomTrustStore.Add(CaCertificate);
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return customChain.Build(leaf);
    }

    /// <inheritdoc />
    public void Dispose() => CaCertificate.Dispose();
}
