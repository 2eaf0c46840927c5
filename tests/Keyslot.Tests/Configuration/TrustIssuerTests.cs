using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Keyslot.Tests.Configuration;

public sealed class TrustIssuerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("keyslot-ca-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static X509Certificate2 CreateCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 withKey = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // Keep only the public part, as a CA file would.
        return X509CertificateLoader.LoadCertificate(withKey.Export(X509ContentType.Cert));
    }

    [Fact]
    public void Trusts_a_CA_from_a_PEM_file()
    {
        using X509Certificate2 ca = CreateCa("CN=Keyslot Test CA");
        string path = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(path, ca.ExportCertificatePem());

        var options = new ClusterOptions();
        options.TrustIssuer(path);

        X509Certificate2 trusted = Assert.Single(options.TrustedIssuers);
        Assert.Equal(ca.Thumbprint, trusted.Thumbprint);
        Assert.Equal("CN=Keyslot Test CA", trusted.Subject);
    }

    [Fact]
    public void Trusts_every_CA_of_a_PEM_bundle_and_skips_other_blocks()
    {
        using X509Certificate2 first = CreateCa("CN=First");
        using X509Certificate2 second = CreateCa("CN=Second");
        using var key = ECDsa.Create();
        string path = Path.Combine(_directory, "bundle.pem");
        File.WriteAllText(path, first.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n" + second.ExportCertificatePem());

        var options = new ClusterOptions();
        options.TrustIssuer(path);

        Assert.Equal([first.Thumbprint, second.Thumbprint], options.TrustedIssuers.Select(c => c.Thumbprint));
    }

    [Fact]
    public void Trusts_a_CA_from_a_DER_cer_file()
    {
        using X509Certificate2 ca = CreateCa("CN=Der CA");
        string path = Path.Combine(_directory, "ca.cer");
        File.WriteAllBytes(path, ca.Export(X509ContentType.Cert));

        var options = new ClusterOptions();
        options.TrustIssuer(path);

        Assert.Equal(ca.Thumbprint, Assert.Single(options.TrustedIssuers).Thumbprint);
    }

    [Fact]
    public void Trusts_a_CA_given_as_PEM_text_or_certificate()
    {
        using X509Certificate2 ca = CreateCa("CN=Text CA");
        var options = new ClusterOptions();
        options.TrustIssuer(ca.ExportCertificatePem());
        options.TrustIssuer(ca);

        Assert.Equal(2, options.TrustedIssuers.Count);
        Assert.All(options.TrustedIssuers, c => Assert.Equal(ca.Thumbprint, c.Thumbprint));
        Assert.Equal(2, options.Clone().TrustedIssuers.Count);
    }

    [Fact]
    public void Rejects_files_without_a_certificate()
    {
        string empty = Path.Combine(_directory, "empty.pem");
        File.WriteAllText(empty, "not a certificate");
        var options = new ClusterOptions();

        Assert.Throws<ArgumentException>(() => options.TrustIssuer(empty));
        Assert.Throws<FileNotFoundException>(() => options.TrustIssuer(Path.Combine(_directory, "missing.pem")));
        Assert.ThrowsAny<ArgumentException>(() => options.TrustIssuer(" "));
        Assert.Throws<ArgumentNullException>(() => options.TrustIssuer((X509Certificate2)null!));
        Assert.Empty(options.TrustedIssuers);
    }
}
