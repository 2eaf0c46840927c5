namespace Keyslot.Testing.Internal;

/// <summary>Opens RESP connections to one node, with TLS and authentication applied.</summary>
internal sealed class RespConnectionFactory
{
    private readonly string _host;
    private readonly int _port;
    private readonly LocalRedisTls? _tls;
    private readonly string? _user;
    private readonly string? _password;

    public RespConnectionFactory(string host, int port, LocalRedisTls? tls, string? user, string? password)
    {
        _host = host;
        _port = port;
        _tls = tls;
        _user = user;
        _password = password;
    }

    /// <summary>Connects and, when a password is configured, sends AUTH (throwing on a refused login).</summary>
    public async Task<RespConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await RespConnection.ConnectAsync(_host, _port, _tls, cancellationToken).ConfigureAwait(false);
        try
        {
            if (_password is not null)
            {
                object[] auth = _user is null ? ["AUTH", _password] : ["AUTH", _user, _password];
                var reply = await connection.SendAsync(auth, cancellationToken).ConfigureAwait(false);
                if (reply.IsError)
                {
                    throw new LocalRedisCommandException($"{_host}:{_port}", "AUTH", reply.Text!);
                }
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
