using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Keyslot.Testing.Internal;

/// <summary>
/// A minimal RESP2 connection: writes commands as arrays of bulk strings and reads one reply per command.
/// Not thread-safe; one command at a time.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RespConnection(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    /// <summary>Opens a TCP (and optionally TLS) connection to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static async Task<RespConnection> ConnectAsync(string host, int port, LocalRedisTls? tls, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            Stream stream = tcp.GetStream();
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = tls.ServerName,
                        RemoteCertificateValidationCallback = tls.ValidateServerCertificate,
                    },
                    cancellationToken).ConfigureAwait(false);
                stream = ssl;
            }

            return new RespConnection(tcp, stream);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command and reads its reply. Error replies are returned, not thrown.</summary>
    public async Task<RespReply> SendAsync(IReadOnlyList<object> args, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encode(args), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes all commands at once, then reads one reply per command, in order.</summary>
    public async Task<RespReply[]> SendManyAsync(IReadOnlyList<IReadOnlyList<object>> commands, CancellationToken cancellationToken)
    {
        using var ms = new MemoryStream();
        foreach (var command in commands)
        {
            Encode(ms, command);
        }

        await _stream.WriteAsync(ms.GetBuffer().AsMemory(0, (int)ms.Length), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        var replies = new RespReply[commands.Count];
        for (var i = 0; i < replies.Length; i++)
        {
            replies[i] = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }

        return replies;
    }

    private static byte[] Encode(IReadOnlyList<object> args)
    {
        using var ms = new MemoryStream();
        Encode(ms, args);
        return ms.ToArray();
    }

    private static void Encode(MemoryStream ms, IReadOnlyList<object> args)
    {
        WriteAscii(ms, "*" + args.Count.ToString(CultureInfo.InvariantCulture) + "\r\n");
        foreach (var arg in args)
        {
            var bytes = arg switch
            {
                byte[] b => b,
                string s => Encoding.UTF8.GetBytes(s),
                IFormattable f => Encoding.UTF8.GetBytes(f.ToString(null, CultureInfo.InvariantCulture)),
                _ => Encoding.UTF8.GetBytes(arg.ToString() ?? string.Empty),
            };
            WriteAscii(ms, "$" + bytes.Length.ToString(CultureInfo.InvariantCulture) + "\r\n");
            ms.Write(bytes);
            WriteAscii(ms, "\r\n");
        }
    }

    private static void WriteAscii(MemoryStream ms, string s) => ms.Write(Encoding.ASCII.GetBytes(s));

    private async Task<RespReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line.Length == 0)
        {
            throw new IOException("Protocol error: empty RESP line.");
        }

        var payload = line[1..];
        switch (line[0])
        {
            case '+':
                return RespReply.Simple(payload);
            case '-':
                return RespReply.Error(payload);
            case ':':
                return RespReply.Int(long.Parse(payload, CultureInfo.InvariantCulture));
            case '$':
            {
                var length = int.Parse(payload, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return RespReply.Null;
                }

                var data = await ReadExactAsync(length + 2, cancellationToken).ConfigureAwait(false);
                return RespReply.Bulk(data.AsSpan(0, length).ToArray());
            }

            case '*':
            {
                var count = int.Parse(payload, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return RespReply.Null;
                }

                var items = new RespReply[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                }

                return RespReply.Array(items);
            }

            default:
                throw new IOException($"Protocol error: unexpected RESP type '{line[0]}'.");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var index = span.IndexOf("\r\n"u8);
            if (index >= 0)
            {
                var line = Encoding.UTF8.GetString(span[..index]);
                _start += index + 2;
                return line;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_end == _start)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            var take = Math.Min(count - filled, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(filled));
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("Protocol error: RESP line longer than the read buffer.");
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("The server closed the connection.");
        }

        _end += read;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }
}
