using System.Security.Authentication;

namespace Keyslot.Tests.Configuration;

public class ValidateTests
{
    private static ClusterOptions Valid() => ClusterOptions.Parse("h:7000");

    [Fact]
    public void Valid_options_pass() => Valid().Validate();

    [Fact]
    public void Zero_values_that_mean_disabled_pass()
    {
        ClusterOptions options = Valid();
        options.KeepAlive = TimeSpan.Zero;
        options.TopologyRefreshInterval = TimeSpan.Zero;
        options.MinTopologyRefreshInterval = TimeSpan.FromMinutes(5);
        options.MaxRedirects = 0;
        options.ConnectRetry = 0;
        options.User = "app";
        options.Password = "pw";
        options.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        options.Validate();
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "no endpoints", nameof(ClusterOptions.Endpoints) },
        { "default endpoint", nameof(ClusterOptions.Endpoints) },
        { "ConnectTimeout=0", nameof(ClusterOptions.ConnectTimeout) },
        { "ConnectTimeout<0", nameof(ClusterOptions.ConnectTimeout) },
        { "ConnectTimeout huge", nameof(ClusterOptions.ConnectTimeout) },
        { "CommandTimeout=0", nameof(ClusterOptions.CommandTimeout) },
        { "CommandTimeout infinite", nameof(ClusterOptions.CommandTimeout) },
        { "KeepAlive<0", nameof(ClusterOptions.KeepAlive) },
        { "TopologyRefreshInterval<0", nameof(ClusterOptions.TopologyRefreshInterval) },
        { "MinTopologyRefreshInterval<0", nameof(ClusterOptions.MinTopologyRefreshInterval) },
        { "Min > refresh", nameof(ClusterOptions.MinTopologyRefreshInterval) },
        { "ConnectRetry<0", nameof(ClusterOptions.ConnectRetry) },
        { "MaxRedirects<0", nameof(ClusterOptions.MaxRedirects) },
        { "MaxPendingCommandsPerNode=0", nameof(ClusterOptions.MaxPendingCommandsPerNode) },
        { "Protocol=4", nameof(ClusterOptions.Protocol) },
        { "ReadPolicy=9", nameof(ClusterOptions.ReadPolicy) },
        { "SslProtocols unknown bit", nameof(ClusterOptions.SslProtocols) },
        { "SslHost blank", nameof(ClusterOptions.SslHost) },
        { "ClientName with space", nameof(ClusterOptions.ClientName) },
        { "ClientName empty", nameof(ClusterOptions.ClientName) },
        { "ClientName non-ASCII", nameof(ClusterOptions.ClientName) },
        { "User without Password", nameof(ClusterOptions.Password) },
        { "callback and issuers", nameof(ClusterOptions.CertificateValidation) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_throw_naming_the_property(string change, string property)
    {
        ClusterOptions options = Valid();
        Action<ClusterOptions> apply = change switch
        {
            "no endpoints" => o => o.Endpoints.Clear(),
            "default endpoint" => o => o.Endpoints.Add(default),
            "ConnectTimeout=0" => o => o.ConnectTimeout = TimeSpan.Zero,
            "ConnectTimeout<0" => o => o.ConnectTimeout = TimeSpan.FromSeconds(-1),
            "ConnectTimeout huge" => o => o.ConnectTimeout = TimeSpan.FromDays(30),
            "CommandTimeout=0" => o => o.CommandTimeout = TimeSpan.Zero,
            "CommandTimeout infinite" => o => o.CommandTimeout = Timeout.InfiniteTimeSpan,
            "KeepAlive<0" => o => o.KeepAlive = TimeSpan.FromSeconds(-1),
            "TopologyRefreshInterval<0" => o => o.TopologyRefreshInterval = TimeSpan.FromSeconds(-1),
            "MinTopologyRefreshInterval<0" => o => o.MinTopologyRefreshInterval = TimeSpan.FromSeconds(-1),
            "Min > refresh" => o => o.MinTopologyRefreshInterval = TimeSpan.FromMinutes(2),
            "ConnectRetry<0" => o => o.ConnectRetry = -1,
            "MaxRedirects<0" => o => o.MaxRedirects = -1,
            "MaxPendingCommandsPerNode=0" => o => o.MaxPendingCommandsPerNode = 0,
            "Protocol=4" => o => o.Protocol = (RespProtocolVersion)4,
            "ReadPolicy=9" => o => o.ReadPolicy = (ReadPolicy)9,
            "SslProtocols unknown bit" => o => o.SslProtocols = (SslProtocols)0x4000_0000,
            "SslHost blank" => o => o.SslHost = " ",
            "ClientName with space" => o => o.ClientName = "my app",
            "ClientName empty" => o => o.ClientName = string.Empty,
            "ClientName non-ASCII" => o => o.ClientName = "caf\u00e9",
            "User without Password" => o => o.User = "app",
            "callback and issuers" => o =>
            {
                o.CertificateValidation = (_, _, _, _) => true;
                o.TrustIssuer(TrustIssuerTests.CreateCa("CN=Both"));
            },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        apply(options);

        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(property, error.ParamName);
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }
}
