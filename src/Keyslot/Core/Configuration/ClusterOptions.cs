using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Keyslot;

/// <summary>
/// Everything the client needs to connect to a Redis Cluster: seed endpoints, TLS, credentials, timeouts and
/// routing limits. Build it in code, or read it with <see cref="Parse"/> from a StackExchange.Redis-style
/// configuration string (<c>host:6379,ssl=true,user=app,password=secret</c>) or a <c>redis://</c> /
/// <c>rediss://</c> URI.
/// </summary>
/// <remarks>
/// <para>Parsing checks each value; <see cref="Validate"/> checks the whole object (for example that there is an
/// endpoint) and is what the client runs before connecting.</para>
/// <para>The options are mutable and not thread-safe; hand the client a finished object (the client should keep a
/// <see cref="Clone"/>) rather than changing it while connected.</para>
/// </remarks>
public sealed class ClusterOptions
{
    /// <summary>
    /// The seed endpoints, in order: any reachable node (or an ElastiCache configuration endpoint) is enough for the
    /// client to discover the whole cluster.
    /// </summary>
    public IList<NodeEndpoint> Endpoints { get; } = new List<NodeEndpoint>();

    /// <summary>Whether connections use TLS (configuration key <c>ssl</c>; a <c>rediss://</c> URI sets it).</summary>
    public bool Ssl { get; set; }

    /// <summary>
    /// The host name sent as TLS SNI and expected in the server certificate, instead of each node's own host
    /// (<c>sslHost</c>). Needed when nodes are addressed by IP — as cluster topology replies do — but the
    /// certificate names a DNS name.
    /// </summary>
    public string? SslHost { get; set; }

    /// <summary>
    /// The TLS versions allowed (<c>sslProtocols</c>, e.g. <c>Tls12|Tls13</c>); <see cref="SslProtocols.None"/>, the
    /// default, lets the operating system choose.
    /// </summary>
    public SslProtocols SslProtocols { get; set; }

    /// <summary>Whether certificate revocation is checked during the TLS handshake (<c>checkCertificateRevocation</c>).</summary>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>
    /// A callback that decides alone whether a server certificate is accepted, replacing the default validation.
    /// Cannot be combined with <see cref="TrustedIssuers"/>. Has no configuration-string form.
    /// </summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    /// <summary>
    /// Extra CA certificates to trust, such as a private CA. When non-empty, server certificates are validated
    /// against a chain built with these roots (in addition to normal name checks). Has no configuration-string form.
    /// </summary>
    public X509Certificate2Collection TrustedIssuers { get; } = [];

    /// <summary>The ACL user name (<c>user</c>); null authenticates as the default user.</summary>
    public string? User { get; set; }

    /// <summary>
    /// The password (<c>password</c>). It is never included in <see cref="ToString"/> (shown as <c>*****</c>) or in
    /// error messages.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>
    /// Asked for the user and password of new connections instead of the fixed <see cref="User"/> and
    /// <see cref="Password"/> (which must then be null): for credentials that rotate or expire, such as ElastiCache
    /// IAM tokens. The client keeps the latest credential, asks again <see cref="CredentialRefreshMargin"/> before it
    /// expires (in the background; a failure is logged and retried with backoff), re-authenticates its live
    /// connections with the new one (AUTH, pipelined), and asks again at once when a server refuses it. Has no
    /// configuration-string form. The token passed in is cancelled when the client is disposed.
    /// </summary>
    public Func<CancellationToken, ValueTask<RedisCredential>>? CredentialProvider { get; set; }

    /// <summary>
    /// How long before a provided credential's <see cref="RedisCredential.ExpiresAt"/> the client asks
    /// <see cref="CredentialProvider"/> for the next one and re-authenticates with it. Default 1 minute; for a
    /// credential that lives less than twice as long, it is asked again halfway through its life.
    /// </summary>
    public TimeSpan CredentialRefreshMargin { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The connection name set with <c>CLIENT SETNAME</c> (<c>name</c>): printable ASCII without spaces, as Redis
    /// requires.
    /// </summary>
    public string? ClientName { get; set; }

    /// <summary>How long to wait for a TCP connect plus TLS and handshake (<c>connectTimeout</c>, milliseconds). Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a command may wait for its reply, redirects included (<c>commandTimeout</c>, or the
    /// StackExchange.Redis keys <c>asyncTimeout</c>, <c>syncTimeout</c>, <c>timeout</c>, <c>responseTimeout</c>,
    /// all milliseconds; when several are given the most specific wins, in that order). Default 5 s.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether connecting fails when no seed endpoint can be reached (<c>abortConnect</c>); when false the client is
    /// created anyway and keeps retrying in the background. Default true.
    /// </summary>
    public bool AbortOnConnectFail { get; set; } = true;

    /// <summary>
    /// <c>allowAdmin</c>, accepted so StackExchange.Redis strings parse unchanged. Keyslot does not gate commands on it:
    /// it sends administrative commands (<c>FLUSHALL</c>, <c>CONFIG SET</c>…) only when the application calls them,
    /// and the server's ACLs are the place to forbid them.
    /// </summary>
    public bool AllowAdmin { get; set; }

    /// <summary>
    /// TCP keep-alive for every connection (<c>keepAlive</c>, seconds): the operating system probes a connection that
    /// has been idle this long, so a dead peer or a dropped NAT/load-balancer entry is noticed on an idle connection.
    /// <see cref="TimeSpan.Zero"/> turns keep-alive off. Default 60 s.
    /// </summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest a connection is used (<c>maxConnectionAge</c>, seconds): before it, a replacement is made (full
    /// handshake, the credential provider's current credential), new commands go to it, and the old connection is
    /// closed once the replies it awaits are in, so a server that closes old connections (ElastiCache, after 12 hours)
    /// never fails a command. Each connection's deadline is shortened by a random 0-10%, so a client's connections do
    /// not all renew at once. Subscriber connections are resubscribed on their replacement before the old one is
    /// dropped; blocking and synchronous connections are renewed between commands. Null (the default) never renews;
    /// at least 1 s otherwise. For ElastiCache, 11 hours is a good value.
    /// </summary>
    public TimeSpan? MaxConnectionAge { get; set; }

    /// <summary>How many times an initial connect is retried before giving up (<c>connectRetry</c>). Default 3.</summary>
    public int ConnectRetry { get; set; } = 3;

    /// <summary>The RESP version requested with <c>HELLO</c> (<c>protocol=resp2|resp3|2|3</c>). Default RESP3.</summary>
    public RespProtocolVersion Protocol { get; set; } = RespProtocolVersion.Resp3;

    /// <summary>
    /// How many <c>MOVED</c>/<c>ASK</c> redirects one command may follow before it fails (<c>maxRedirects</c>).
    /// 0 fails on the first redirect. Default 5.
    /// </summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// How often the cluster topology is re-read even when nothing suggests it changed
    /// (<c>topologyRefreshSeconds</c>). <see cref="TimeSpan.Zero"/> disables periodic refresh (redirects and
    /// connection failures still trigger one). Default 60 s.
    /// </summary>
    public TimeSpan TopologyRefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The least time between two topology refreshes, however many redirects or failures ask for one
    /// (<c>minTopologyRefreshMs</c>); protects the cluster from refresh storms (one refresh is in flight at a time,
    /// and all requests in between join it). Default 250 ms: short enough that a promoted replica is used within
    /// about half a second of its promotion, long enough that a resharding's MOVED replies cost a handful of refreshes.
    /// </summary>
    public TimeSpan MinTopologyRefreshInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The most commands that may wait for replies on one node connection (<c>maxPendingPerNode</c>); beyond it
    /// new commands fail fast instead of growing memory without bound. Default 100 000.
    /// </summary>
    public int MaxPendingCommandsPerNode { get; set; } = 100_000;

    /// <summary>
    /// The most dedicated connections per node for blocking commands (<c>blockingConnectionsPerNode</c>): BLPOP,
    /// BZPOPMIN, XREAD with BLOCK, WAIT and the like each hold one for their whole wait, so that they never hold up
    /// the shared pipelined connection. Made on first use; a caller finding all of a node's in use waits for one
    /// (within its own timeout and token). Default 8.
    /// </summary>
    public int BlockingConnectionsPerNode { get; set; } = 8;

    /// <summary>
    /// The most connections per node for synchronous commands (<c>synchronousConnectionsPerNode</c>): each serves one
    /// caller's command at a time on a blocking socket of its own, so synchronous callers never depend on the thread
    /// pool. Made on first use; a caller finding all of a node's in use waits for one within its command timeout.
    /// Default 16.
    /// </summary>
    public int SynchronousConnectionsPerNode { get; set; } = 16;

    /// <summary>
    /// How many received messages each pub/sub subscription buffers for its reader or handler
    /// (<c>subscriptionBuffer</c>). A message arriving at a full buffer is dropped and counted
    /// (<see cref="ChannelSubscription.DroppedMessages"/>): a slow consumer never holds up the connection or grows
    /// memory without bound. Default 100 000.
    /// </summary>
    public int SubscriptionBufferSize { get; set; } = 100_000;

    /// <summary>
    /// Whether the client connects to every node of the slot map as soon as it learns of it (<c>connectEagerly</c>),
    /// instead of on a node's first command. Eager connecting takes the connect and handshake off the first
    /// commands' latency, also for a primary just promoted in a failover; replicas are included when the read
    /// policy reads from them. Default false.
    /// </summary>
    public bool ConnectEagerly { get; set; }

    /// <summary>
    /// The largest bulk string accepted in a reply, in bytes (<c>maxBulkLength</c>); a larger length prefix fails
    /// that connection with <see cref="RespProtocolException"/> before anything is allocated for it. A whole reply
    /// frame may total twice this (at least 128 MiB), which is what one connection buffers at most for an unfinished
    /// reply. Default 64 MiB; raise it (up to about 2 GiB) for values larger than that (the server's own string limit
    /// is 512 MiB).
    /// </summary>
    public long MaxBulkLength { get; set; } = Keyslot.Protocol.RespLimits.Default.MaxBulkLength;

    /// <summary>
    /// Which node of a shard serves read-only commands (<c>readFrom</c>); writes always go to the primary.
    /// A per-call override is <see cref="ClusterClient.WithReadPolicy"/>. Default <see cref="ReadPolicy.Primary"/>.
    /// </summary>
    public ReadPolicy ReadPolicy { get; set; } = ReadPolicy.Primary;

    /// <summary>
    /// The availability zone the client runs in (<c>clientAz</c>, e.g. <c>use1-az1</c>). With a replica read policy,
    /// reads prefer nodes in the same zone (cheaper and faster in the cloud). A node's zone comes from
    /// <see cref="NodeAvailabilityZones"/>, or from the server where it reports one (Valkey 8's <c>availability_zone</c> in HELLO);
    /// so that the latter is known before the first reads, the nodes are then connected eagerly (see <see cref="ConnectEagerly"/>).
    /// </summary>
    public string? ClientAvailabilityZone { get; set; }

    /// <summary>Availability zones of nodes, by <c>host:port</c> or by host; used where the server does not report its zone. No configuration-string form.</summary>
    public IDictionary<string, string> NodeAvailabilityZones { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether writes that are safe to repeat (such as <c>SET</c> without options, <c>DEL</c>, <c>HSET</c>) are
    /// retried after a connection failure whose outcome is unknown (<c>retryIdempotentWrites</c>). Off by default,
    /// because a retried write may land twice from the observer's point of view.
    /// </summary>
    public bool RetryIdempotentWrites { get; set; }

    /// <summary>
    /// The size in bytes of the server-assisted client-side cache (<c>clientCache=64mb</c>; keys, values and
    /// per-entry overhead counted); 0, the default, turns it off. With it on, cacheable reads (GET, MGET, HGET, HMGET,
    /// HGETALL, EXISTS, STRLEN…) of a primary's keys go over that node's tracking connection, where
    /// <c>CLIENT TRACKING</c> makes the server push an invalidation when any client changes a key read there, and are
    /// answered from memory until then. Needs RESP3. A per-call opt-out is <see cref="ClusterClient.WithoutClientCache"/>.
    /// In a cluster, a read of a key that did not exist, cached before its slot moved to another node, is served until
    /// this client learns of the move (a MOVED, or the periodic topology refresh) or for <see cref="ClientCacheMaxAge"/>;
    /// keys that existed are invalidated by the move itself (MIGRATE deletes them on the old owner).
    /// </summary>
    public long ClientCacheSize { get; set; }

    /// <summary>
    /// Broadcast tracking (<c>clientCachePrefixes=user:|session:</c>, prefixes separated by <c>|</c>): the server
    /// pushes an invalidation for every change of a key starting with one of these prefixes, whoever read it, instead
    /// of remembering which keys this client read; only keys with one of the prefixes are then cached. Fits key spaces
    /// where this client reads most keys of a few prefixes, and saves the server's per-key tracking table. Empty, the
    /// default, is the default mode (the server remembers what was read). An empty prefix covers every key.
    /// </summary>
    public IList<string> ClientCachePrefixes { get; } = new List<string>();

    /// <summary>
    /// The longest a cached value is served without reading it again (<c>clientCacheMaxAge</c>, in milliseconds),
    /// a bound for the case an invalidation never arrives; zero means no bound. Default one minute.
    /// </summary>
    public TimeSpan ClientCacheMaxAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The logger factory for connection and topology events; null logs nothing. Has no configuration-string form.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Trusts the CA certificate(s) in a PEM string, or in a PEM or DER (<c>.cer</c>/<c>.crt</c>) file.</summary>
    /// <param name="caCertificatePemOrCerPath">
    /// PEM text (<c>-----BEGIN CERTIFICATE-----</c>...), or the path of a PEM file (one certificate or a bundle)
    /// or of a DER-encoded certificate file.
    /// </param>
    /// <exception cref="ArgumentException">The text or file holds no certificate, or the argument is empty.</exception>
    /// <exception cref="FileNotFoundException">The argument is not PEM and no such file exists.</exception>
    public void TrustIssuer(string caCertificatePemOrCerPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caCertificatePemOrCerPath);
        TrustedIssuers.AddRange(IssuerCertificateLoader.Load(caCertificatePemOrCerPath, nameof(caCertificatePemOrCerPath)));
    }

    /// <summary>Trusts a CA certificate.</summary>
    /// <param name="issuer">The CA certificate; the options keep a reference to it (it is not copied).</param>
    public void TrustIssuer(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        TrustedIssuers.Add(issuer);
    }

    /// <summary>Reads options from a configuration string or a <c>redis://</c> / <c>rediss://</c> URI.</summary>
    /// <param name="configuration">
    /// Comma-separated endpoints and <c>key=value</c> settings, as in StackExchange.Redis (for example
    /// <c>clustercfg.my-cache.abc123.use1.cache.amazonaws.com:6379,ssl=true,user=app,password=secret</c>), or a URI
    /// such as <c>rediss://app:secret@host:6379?protocol=resp2</c>. See <see cref="ConfigurationKeys"/> for the keys.
    /// </param>
    /// <returns>The options. Call <see cref="Validate"/> (the client does) to check them as a whole.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// An item is malformed, out of range, unknown or unsupported; the message names the key (and lists the accepted
    /// keys for an unknown one) but never contains the password.
    /// </exception>
    public static ClusterOptions Parse(string configuration) => ConfigurationParser.Parse(configuration);

    /// <summary>Tries to read options from a configuration string or URI; see <see cref="Parse"/>.</summary>
    /// <param name="configuration">The configuration string or URI.</param>
    /// <param name="options">The options when parsing succeeds; otherwise null.</param>
    /// <param name="error">Why parsing failed (never containing the password); null on success.</param>
    /// <returns><see langword="true"/> when the string was parsed.</returns>
    public static bool TryParse(string configuration, out ClusterOptions? options, out string? error)
    {
        if (configuration is null)
        {
            options = null;
            error = "The configuration string is null.";
            return false;
        }
        try
        {
            options = ConfigurationParser.Parse(configuration);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            options = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Copies the options; lists are copied, certificates, callbacks (the credential provider too) and logger factory are shared.</summary>
    /// <returns>An independent copy.</returns>
    public ClusterOptions Clone()
    {
        var clone = new ClusterOptions
        {
            Ssl = Ssl,
            SslHost = SslHost,
            SslProtocols = SslProtocols,
            CheckCertificateRevocation = CheckCertificateRevocation,
            CertificateValidation = CertificateValidation,
            User = User,
            Password = Password,
            CredentialProvider = CredentialProvider,
            CredentialRefreshMargin = CredentialRefreshMargin,
            ClientName = ClientName,
            ConnectTimeout = ConnectTimeout,
            CommandTimeout = CommandTimeout,
            AbortOnConnectFail = AbortOnConnectFail,
            AllowAdmin = AllowAdmin,
            KeepAlive = KeepAlive,
            MaxConnectionAge = MaxConnectionAge,
            ConnectRetry = ConnectRetry,
            Protocol = Protocol,
            MaxRedirects = MaxRedirects,
            TopologyRefreshInterval = TopologyRefreshInterval,
            MinTopologyRefreshInterval = MinTopologyRefreshInterval,
            MaxPendingCommandsPerNode = MaxPendingCommandsPerNode,
            BlockingConnectionsPerNode = BlockingConnectionsPerNode,
            SynchronousConnectionsPerNode = SynchronousConnectionsPerNode,
            SubscriptionBufferSize = SubscriptionBufferSize,
            ConnectEagerly = ConnectEagerly,
            MaxBulkLength = MaxBulkLength,
            ReadPolicy = ReadPolicy,
            ClientAvailabilityZone = ClientAvailabilityZone,
            RetryIdempotentWrites = RetryIdempotentWrites,
            ClientCacheSize = ClientCacheSize,
            ClientCacheMaxAge = ClientCacheMaxAge,
            LoggerFactory = LoggerFactory,
        };
        foreach (KeyValuePair<string, string> zone in NodeAvailabilityZones)
        {
            clone.NodeAvailabilityZones[zone.Key] = zone.Value;
        }
        foreach (NodeEndpoint endpoint in Endpoints)
        {
            clone.Endpoints.Add(endpoint);
        }
        foreach (string prefix in ClientCachePrefixes)
        {
            clone.ClientCachePrefixes.Add(prefix);
        }
        clone.TrustedIssuers.AddRange(TrustedIssuers);
        return clone;
    }

    /// <summary>Checks the options as a whole; the client calls this before connecting.</summary>
    /// <exception cref="ArgumentException">
    /// A value is out of range or settings contradict each other; <see cref="ArgumentException.ParamName"/> names the
    /// property.
    /// </exception>
    public void Validate() => ClusterOptionsValidator.Validate(this);

    /// <summary>
    /// Writes the options as a configuration string that <see cref="Parse"/> reads back: endpoints first, then the
    /// settings that differ from the defaults. The password is written as <c>*****</c>, never as itself, so parsing
    /// the result gives <c>Password == "*****"</c>: set the real password again before connecting.
    /// </summary>
    /// <remarks>
    /// A text value containing ',' (possible for a user or client name set in code or through a URI) cannot be
    /// represented in a configuration string, so such output does not round-trip. Code-only settings
    /// (<see cref="CertificateValidation"/>, <see cref="TrustedIssuers"/>, <see cref="LoggerFactory"/>,
    /// <see cref="CredentialProvider"/>, <see cref="CredentialRefreshMargin"/>) are not written.
    /// </remarks>
    /// <returns>The configuration string.</returns>
    public override string ToString() => ConfigurationFormatter.Format(this);
}
