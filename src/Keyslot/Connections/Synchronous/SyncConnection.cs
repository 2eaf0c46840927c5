using System.Buffers;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot.Connections;

/// <summary>
/// One connection for synchronous commands: a socket that stays blocking, used by one caller at a time, who writes
/// its command and reads the reply on its own thread. Nothing on this road waits for another thread (no read loop,
/// no completion callback, no thread pool), which is what makes synchronous commands safe on a starved pool. A
/// connection whose reply did not come in time is closed, never reused: the late reply would answer the next command.
/// </summary>
internal sealed class SyncConnection : IDisposable
{
    private static readonly RespCommand Asking = RespCommand.Create("ASKING");

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly RespLimits _limits;
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private byte[] _input = ArrayPool<byte>.Shared.Rent(4096);
    private int _start; // first unread byte of _input
    private int _end;   // one past the last received byte
    private bool _disposed;

    private SyncConnection(NodeEndpoint endpoint, Socket socket, Stream stream, RespLimits limits)
    {
        Endpoint = endpoint;
        _socket = socket;
        _stream = stream;
        _limits = limits;
    }

    public NodeEndpoint Endpoint { get; }

    /// <summary>What the handshake settled.</summary>
    public HandshakeResult Session { get; private set; } = new(2, false, null, Tracking: false);

    /// <summary><see cref="IssuedCredential.Version"/> of the credential it last authenticated with (0: the fixed password, or none). Used by one caller at a time.</summary>
    public long CredentialVersion { get; set; }

    /// <summary>When (Stopwatch ticks) it is due for renewal (<see cref="ClusterOptions.MaxConnectionAge"/>); <see cref="long.MaxValue"/> for never.</summary>
    public long RenewAt { get; private set; } = long.MaxValue;

    /// <summary>True once its renewal deadline has passed: it is closed when next returned or lent, never while lent.</summary>
    public bool IsDueForRenewal => Stopwatch.GetTimestamp() >= RenewAt;

    /// <summary>False once a read or write failed or timed out: the connection must then be closed, not reused.</summary>
    public bool IsUsable { get; private set; } = true;

    /// <summary>
    /// Connects (TCP, then TLS when configured) and runs the handshake, all on the caller's thread within the
    /// connect timeout and <paramref name="deadline"/>, whichever comes first.
    /// </summary>
    public static SyncConnection Open(NodeEndpoint endpoint, ConnectionSettings settings, long deadline)
    {
        long connectDeadline = Math.Min(deadline, Stopwatch.GetTimestamp() + (long)(settings.ConnectTimeout.TotalSeconds * Stopwatch.Frequency));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SyncConnection? connection = null;
        try
        {
            Transport.SetKeepAlive(socket, settings.KeepAlive);
            ConnectWithin(socket, endpoint, connectDeadline);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (settings.Ssl) stream = AuthenticateTls(stream, socket, endpoint, settings, connectDeadline);
            connection = new SyncConnection(endpoint, socket, stream, settings.Limits);
            connection.Session = SyncHandshake.Run(connection, settings, connectDeadline);
            connection.RenewAt = settings.RenewalDeadline(Stopwatch.GetTimestamp());
            return connection;
        }
        catch (SyncTimeoutException)
        {
            Close(connection, socket);
            throw new RedisConnectionException($"{endpoint} did not complete the connection and handshake within {settings.ConnectTimeout.TotalMilliseconds:0} ms.", endpoint);
        }
        catch
        {
            Close(connection, socket);
            throw;
        }
    }

    /// <summary>
    /// Writes one command (after ASKING when <paramref name="asking"/>) and reads its reply, by
    /// <paramref name="deadline"/>. An error reply comes back in <paramref name="error"/> for the runner to follow.
    /// </summary>
    /// <exception cref="SyncTimeoutException">No reply by the deadline; the connection is no longer usable.</exception>
    /// <exception cref="SyncWriteException">The write failed: nothing reached the server complete.</exception>
    /// <exception cref="IOException">The connection was lost after the command was written.</exception>
    public T Execute<T>(in RespCommand command, ReplyParser<T> parser, bool asking, long deadline, out ServerError? error)
    {
        _output.ResetWrittenCount();
        if (asking) Asking.WriteTo(_output);
        command.WriteTo(_output);
        Write(deadline);
        ServerError? askingRefused = null;
        if (asking)
        {
            ReadFrame(deadline, out ReadOnlySequence<byte> askingReply);
            askingRefused = ErrorOf(askingReply); // read now: the next read may move the buffer
        }
        ReadFrame(deadline, out ReadOnlySequence<byte> frame);
        error = askingRefused ?? ErrorOf(frame);
        if (error is not null) return default!;
        var reader = new RespReader(frame);
        reader.Read();
        try
        {
            return parser(ref reader);
        }
        catch (Exception ex)
        {
            throw RedisUnexpectedReplyException.From(ex, command.Name, Endpoint);
        }
    }

    /// <summary>True when an idle connection is still open: a server that closed it (idle timeout, restart) left it readable with nothing to read.</summary>
    public bool LooksAlive()
    {
        if (!IsUsable || _disposed) return false;
        try
        {
            return !(_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private void Write(long deadline)
    {
        try
        {
            _socket.SendTimeout = TimeoutMs(deadline);
            _stream.Write(_output.WrittenSpan);
            _stream.Flush();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            IsUsable = false;
            // A timed-out or failed send may have put part of the command on the wire; the connection is closed, so
            // the server never runs a partial command, and a whole one that got through is the runner's to judge.
            throw new SyncWriteException(ex);
        }
    }

    /// <summary>Reads until one complete frame (pushes skipped) is buffered; returns it, consumed from the buffer.</summary>
    private void ReadFrame(long deadline, out ReadOnlySequence<byte> frame)
    {
        var scan = default(RespScanState);
        while (true)
        {
            if (_end > _start)
            {
                var buffered = new ReadOnlySequence<byte>(_input, _start, _end - _start);
                if (RespFrameScanner.TryScan(ref scan, buffered, _limits, out long length))
                {
                    scan = default;
                    frame = buffered.Slice(0, length);
                    _start += (int)length;
                    if (_start == _end) _start = _end = 0;
                    if (frame.FirstSpan[0] == (byte)'>') continue; // out of band: no synchronous connection subscribes or tracks
                    return;
                }
            }
            Receive(deadline);
        }
    }

    private void Receive(long deadline)
    {
        if (_end == _input.Length)
        {
            int unread = _end - _start;
            if (_start > 0 && unread <= _input.Length / 2)
            {
                Buffer.BlockCopy(_input, _start, _input, 0, unread); // room at the front: slide the partial frame down
            }
            else
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(_input.Length * 2);
                Buffer.BlockCopy(_input, _start, larger, 0, unread);
                ArrayPool<byte>.Shared.Return(_input);
                _input = larger;
            }
            _start = 0;
            _end = unread;
        }
        int timeout = TimeoutMs(deadline);
        int read;
        try
        {
            _socket.ReceiveTimeout = timeout;
            read = _stream.Read(_input, _end, _input.Length - _end);
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            IsUsable = false;
            throw new SyncTimeoutException();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            IsUsable = false;
            throw new IOException($"the connection to {Endpoint} was lost: {ex.Message}", ex);
        }
        if (read == 0)
        {
            IsUsable = false;
            throw new IOException($"{Endpoint} closed the connection");
        }
        _end += read;
    }

    private static ServerError? ErrorOf(in ReadOnlySequence<byte> frame)
    {
        var reader = new RespReader(frame);
        reader.Read(); // attributes are skipped, as for any reply
        return reader.IsError ? ServerError.Read(ref reader) : null;
    }

    /// <summary>Milliseconds left until the deadline for a socket timeout (at least 1; 0 would mean "forever").</summary>
    private static int TimeoutMs(long deadline)
    {
        if (deadline == long.MaxValue) return 0;
        double left = (deadline - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
        if (left <= 0) throw new SyncTimeoutException();
        return left >= int.MaxValue ? int.MaxValue : Math.Max(1, (int)Math.Ceiling(left));
    }

    private static void ConnectWithin(Socket socket, NodeEndpoint endpoint, long deadline)
    {
        // The socket is never made non-blocking, not even to bound the connect: on Unix, .NET then keeps the
        // descriptor non-blocking for good and completes every later "blocking" read through its epoll engine,
        // which hands readiness to the thread pool, so on a starved pool those reads hang (measured: 4 of 1,000
        // commands stalled for their whole timeout). A refused connect fails at once; for a host that drops SYNs,
        // Linux is told how many SYNs to send (TCP_SYNCNT) so the connect gives up near the connect timeout.
        LimitSynRetries(socket, RetryWait.Remaining(deadline));
        try
        {
            socket.Connect(System.Net.Dns.GetHostAddresses(endpoint.Host), endpoint.Port); // resolved on every connect (replaced IPs)
        }
        catch (SocketException ex)
        {
            throw new RedisConnectionException($"Cannot connect to {endpoint}: {ex.Message}", endpoint, false, ex);
        }
        if (RetryWait.Remaining(deadline) == TimeSpan.Zero) throw new SyncTimeoutException();
    }

    /// <summary>SYNs are resent after 1, 2, 4… s: <c>n</c> retries give up after about 2^(n+1) - 1 s.</summary>
    private static void LimitSynRetries(Socket socket, TimeSpan timeout)
    {
        if (!OperatingSystem.IsLinux() || timeout == Timeout.InfiniteTimeSpan) return;
        const int IpProtoTcp = 6, TcpSynCount = 7;
        int retries = Math.Clamp((int)Math.Ceiling(Math.Log2(timeout.TotalSeconds + 1)) - 1, 1, 6);
        socket.SetRawSocketOption(IpProtoTcp, TcpSynCount, BitConverter.GetBytes(retries));
    }

    private static SslStream AuthenticateTls(Stream inner, Socket socket, NodeEndpoint endpoint, ConnectionSettings settings, long deadline)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            int timeout = TimeoutMs(deadline);
            socket.ReceiveTimeout = timeout;
            socket.SendTimeout = timeout;
            ssl.AuthenticateAsClient(Transport.TlsOptions(endpoint, settings));
            return ssl;
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
        {
            ssl.Dispose();
            if (ex.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut }) throw new SyncTimeoutException();
            throw new RedisConnectionException($"TLS handshake with {endpoint} (expecting the name '{settings.SslHost ?? endpoint.Host}') failed: {ex.Message}", endpoint, false, ex);
        }
    }

    private static void Close(SyncConnection? connection, Socket socket)
    {
        if (connection is not null) connection.Dispose();
        else socket.Dispose();
    }

    /// <summary>Cuts the connection off from another thread (the client is closing): a read or write in progress fails at once.</summary>
    public void Abort()
    {
        IsUsable = false;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // already closed
        }
        _socket.Close();
    }

    /// <summary>Closes the connection; called by the caller that holds it (or the pool, for an idle one).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        IsUsable = false;
        _stream.Dispose();
        _socket.Dispose();
        byte[] input = _input;
        _input = [];
        ArrayPool<byte>.Shared.Return(input);
    }
}

/// <summary>No reply (or no connect) by the deadline on a synchronous connection; the runner turns it into a <see cref="RedisTimeoutException"/> with context.</summary>
internal sealed class SyncTimeoutException : Exception
{
}

/// <summary>Writing a synchronous command failed: the connection is closed, so no partial command runs.</summary>
internal sealed class SyncWriteException(Exception inner) : Exception(inner.Message, inner)
{
}
