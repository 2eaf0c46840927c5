using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Pipelines.Sockets.Unofficial;

namespace Keyslot.Connections;

/// <summary>
/// Opens the byte stream to a node: a TCP socket (the host name is resolved on every connect, so a managed service's
/// replaced IPs are picked up), optionally wrapped in TLS with SNI, exposed as a duplex pipe.
/// </summary>
internal static class Transport
{
    // Writers never pause (pauseWriterThreshold 0): the per-connection queue bound limits memory instead, and this
    // keeps FlushAsync synchronous so a caller never waits inside the write lock.
    private static readonly PipeOptions SendOptions = new(
        readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 4096, useSynchronizationContext: false);

    private static readonly PipeOptions ReceiveOptions = new(
        readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, minimumSegmentSize: 4096, useSynchronizationContext: false);

    public static async Task<IDuplexPipe> ConnectAsync(NodeEndpoint endpoint, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            SetKeepAlive(socket, settings.KeepAlive);
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RedisConnectionException($"Connecting to {endpoint} timed out after {settings.ConnectTimeout.TotalMilliseconds:0} ms.", endpoint);
            }
            catch (SocketException ex)
            {
                throw new RedisConnectionException($"Cannot connect to {endpoint}: {ex.Message}", endpoint, false, ex);
            }
            if (!settings.Ssl)
            {
                return SocketConnection.Create(socket, SendOptions, ReceiveOptions);
            }
            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(TlsOptions(endpoint, settings), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw new RedisConnectionException($"TLS handshake with {endpoint} (expecting the name '{settings.SslHost ?? endpoint.Host}') failed: {ex.Message}", endpoint, false, ex);
            }
            return StreamConnection.GetDuplex(ssl, SendOptions, ReceiveOptions);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static SslClientAuthenticationOptions TlsOptions(NodeEndpoint endpoint, ConnectionSettings settings) => new()
    {
        // SNI and the name the certificate must carry: the override for IP-addressed nodes (ElastiCache), else the host.
        TargetHost = settings.SslHost ?? endpoint.Host,
        EnabledSslProtocols = settings.SslProtocols,
        CertificateRevocationCheckMode = settings.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = settings.CertificateValidation ?? (settings.TrustedIssuers.Count > 0 ? TrustedIssuerValidator(settings.TrustedIssuers) : null),
    };

    /// <summary>Accepts a chain that ends in one of the configured issuers; a name mismatch is never accepted.</summary>
    private static RemoteCertificateValidationCallback TrustedIssuerValidator(X509Certificate2Collection issuers) =>
        (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None) return true;
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(issuers);
            return chain.Build(new X509Certificate2(certificate));
        };

    internal static void SetKeepAlive(Socket socket, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) return;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        int seconds = Math.Max(1, (int)interval.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, seconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, Math.Max(1, seconds / 3));
    }
}
