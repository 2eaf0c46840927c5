using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keyslot.IntegrationTests.Infrastructure;

/// <summary>
/// A scripted Redis node on 127.0.0.1 for replies a real server rarely gives on demand (ASK to a fake target,
/// TRYAGAIN, malformed RESP, servers without HELLO or CLUSTER SHARDS). Used in addition to real clusters, never
/// instead. It answers the handshake and topology commands itself unless the script does; everything it receives
/// is recorded so tests can assert on what the client actually sent.
/// </summary>
public sealed class FakeRedisNode : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string[], string?> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;

    private FakeRedisNode(Func<string[], string?> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    /// <summary>Starts a node whose <paramref name="script"/> answers each command (raw RESP), or returns null for the default answer.</summary>
    public static FakeRedisNode Start(Func<string[], string?> script) => new(script);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every command received, as its words joined by spaces, in arrival order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);
    private int _connectionCount;

    /// <summary>False to answer HELLO like a Redis 5 server (unknown command).</summary>
    public bool SupportsHello { get; set; } = true;

    /// <summary>False to answer CLUSTER SHARDS like a Redis 6 server (unknown subcommand).</summary>
    public bool SupportsShards { get; set; } = true;

    /// <summary>The slot owners this node reports: (start, end, port) per shard; by default this node owns every slot.</summary>
    public IReadOnlyList<(int Start, int End, int Port)>? Shards { get; set; }

    /// <summary>Replica ports per primary port, listed in CLUSTER SHARDS and CLUSTER SLOTS; by default no shard has replicas.</summary>
    public IReadOnlyDictionary<int, int[]>? Replicas { get; set; }

    /// <summary>The <c>availability_zone</c> this node reports in its HELLO reply (as Valkey 8 does); null leaves the field out.</summary>
    public string? AvailabilityZone { get; set; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Interlocked.Increment(ref _connectionCount);
            lock (_clients) _clients.Add(client);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            NetworkStream stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.Latin1);
            bool stalled = false;
            while (!_stop.IsCancellationRequested)
            {
                string[]? command = await ReadCommandAsync(reader);
                if (command is null) return;
                Received.Enqueue(string.Join(' ', command));
                if (stalled) continue; // a node stuck in the middle of a reply: it reads on, and sends nothing more
                string? reply = _script(command) ?? DefaultReply(command);
                if (reply.StartsWith(StallPrefix, StringComparison.Ordinal))
                {
                    stalled = true;
                    reply = reply[StallPrefix.Length..];
                }
                if (reply.StartsWith(DelayPrefix, StringComparison.Ordinal))
                {
                    int end = reply.IndexOf('\u0000', DelayPrefix.Length);
                    await Task.Delay(int.Parse(reply.AsSpan(DelayPrefix.Length, end - DelayPrefix.Length), CultureInfo.InvariantCulture), _stop.Token);
                    reply = reply[(end + 1)..];
                }
                if (reply.StartsWith(TricklePrefix, StringComparison.Ordinal))
                {
                    int end = reply.IndexOf('\u0000', TricklePrefix.Length);
                    int piece = int.Parse(reply.AsSpan(TricklePrefix.Length, end - TricklePrefix.Length), CultureInfo.InvariantCulture);
                    byte[] all = Encoding.Latin1.GetBytes(reply[(end + 1)..]);
                    client.NoDelay = true;
                    for (int at = 0; at < all.Length; at += piece)
                    {
                        await stream.WriteAsync(all.AsMemory(at, Math.Min(piece, all.Length - at)), _stop.Token);
                        if ((at / piece) % 64 == 63) await Task.Yield();
                    }
                    continue;
                }
                if (reply == Hang) continue;
                if (reply == Close)
                {
                    client.Close();
                    return;
                }
                byte[] bytes = Encoding.Latin1.GetBytes(reply);
                await stream.WriteAsync(bytes, _stop.Token);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested || !client.Connected)
        {
            // the test is over, or the client went away
        }
        catch (IOException)
        {
            // the client closed the connection
        }
    }

    /// <summary>
    /// A script answer meaning "never reply to this command" (but go on answering the next ones). No real server skips
    /// a reply, so the replies of later commands on that connection pair with the wrong commands: use <see cref="Delayed"/>
    /// when the connection must carry more commands.
    /// </summary>
    public const string Hang = "\u0000hang";

    /// <summary>A script answer meaning "close the connection instead of replying".</summary>
    public const string Close = "\u0000close";

    private const string DelayPrefix = "\u0000delay:";

    private const string StallPrefix = "\u0000stall:";

    private const string TricklePrefix = "\u0000trickle:";

    /// <summary>A script answer meaning "send <paramref name="reply"/> in writes of <paramref name="piece"/> bytes each (Nagle off)".</summary>
    public static string Trickled(int piece, string reply) =>
        TricklePrefix + piece.ToString(CultureInfo.InvariantCulture) + "\u0000" + reply;

    /// <summary>
    /// A script answer meaning "send <paramref name="partialReply"/> (the start of a frame), then never send anything
    /// on this connection again while keeping it open": a node stuck in the middle of a reply. New connections are served as usual.
    /// </summary>
    public static string Stalled(string partialReply) => StallPrefix + partialReply;

    /// <summary>
    /// A script answer meaning "send <paramref name="reply"/> after <paramref name="delay"/>". Later commands on that
    /// connection wait behind it, as on a real server busy with one command; unlike <see cref="Hang"/>, no reply is skipped.
    /// </summary>
    public static string Delayed(TimeSpan delay, string reply) =>
        DelayPrefix + ((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "\u0000" + reply;

    private string DefaultReply(string[] command)
    {
        string name = command[0].ToUpperInvariant();
        string sub = command.Length > 1 ? command[1].ToUpperInvariant() : "";
        switch (name)
        {
            case "HELLO":
                return SupportsHello ? HelloReply(command[1]) : "-ERR unknown command 'HELLO', with args beginning with: \r\n";
            case "AUTH":
            case "ASKING":
            case "READONLY":
                return "+OK\r\n";
            case "CLIENT":
                return "+OK\r\n";
            case "PING":
                return "+PONG\r\n";
            case "COMMAND":
                return "-ERR unknown command 'COMMAND'\r\n";
            case "CLUSTER" when sub == "SHARDS":
                return SupportsShards ? ShardsReply() : "-ERR unknown subcommand 'SHARDS'. Try CLUSTER HELP.\r\n";
            case "CLUSTER" when sub == "SLOTS":
                return SlotsReply();
            default:
                return "-ERR the fake node has no script for " + name + "\r\n";
        }
    }

    private IReadOnlyList<(int Start, int End, int Port)> Owners => Shards ?? [(0, 16383, Port)];

    private int[] ReplicasOf(int primaryPort) => Replicas is { } replicas && replicas.TryGetValue(primaryPort, out int[]? ports) ? ports : [];

    private string HelloReply(string protocol)
    {
        var text = new StringBuilder();
        text.Append('*').Append(AvailabilityZone is null ? 4 : 6).Append("\r\n");
        text.Append(Bulk("server")).Append(Bulk("redis")).Append(Bulk("proto")).Append(':').Append(protocol).Append("\r\n");
        if (AvailabilityZone is not null) text.Append(Bulk("availability_zone")).Append(Bulk(AvailabilityZone));
        return text.ToString();
    }

    // RESP2 shapes (maps as flat arrays), which RESP3 clients must accept too.
    private string ShardsReply()
    {
        var text = new StringBuilder();
        text.Append('*').Append(Owners.Count).Append("\r\n");
        foreach ((int start, int end, int port) in Owners)
        {
            int[] replicas = ReplicasOf(port);
            text.Append("*4\r\n$5\r\nslots\r\n*2\r\n:").Append(start).Append("\r\n:").Append(end).Append("\r\n$5\r\nnodes\r\n*").Append(1 + replicas.Length).Append("\r\n");
            AppendShardNode(text, port, "master");
            foreach (int replica in replicas) AppendShardNode(text, replica, "replica");
        }
        return text.ToString();
    }

    private static void AppendShardNode(StringBuilder text, int port, string role)
    {
        text.Append("*8\r\n");
        text.Append(Bulk("id")).Append(Bulk(port.ToString("D40", CultureInfo.InvariantCulture)));
        text.Append(Bulk("port")).Append(':').Append(port).Append("\r\n");
        text.Append(Bulk("ip")).Append(Bulk("127.0.0.1"));
        text.Append(Bulk("role")).Append(Bulk(role));
    }

    private string SlotsReply()
    {
        var text = new StringBuilder();
        text.Append('*').Append(Owners.Count).Append("\r\n");
        foreach ((int start, int end, int port) in Owners)
        {
            int[] replicas = ReplicasOf(port);
            text.Append('*').Append(3 + replicas.Length).Append("\r\n:").Append(start).Append("\r\n:").Append(end).Append("\r\n");
            foreach (int node in (int[])[port, .. replicas])
            {
                text.Append("*3\r\n").Append(Bulk("127.0.0.1")).Append(':').Append(node).Append("\r\n").Append(Bulk(node.ToString("D40", CultureInfo.InvariantCulture)));
            }
        }
        return text.ToString();
    }

    /// <summary>RESP bulk string of <paramref name="value"/>.</summary>
    public static string Bulk(string value) => "$" + Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture) + "\r\n" + value + "\r\n";

    private static async Task<string[]?> ReadCommandAsync(StreamReader reader)
    {
        string? header = await reader.ReadLineAsync();
        if (header is null) return null;
        if (header.Length < 2 || header[0] != '*') throw new InvalidDataException("The fake node only understands arrays of bulk strings, got: " + header);
        int count = int.Parse(header.AsSpan(1), CultureInfo.InvariantCulture);
        var words = new string[count];
        for (int i = 0; i < count; i++)
        {
            string length = await reader.ReadLineAsync() ?? throw new EndOfStreamException();
            int n = int.Parse(length.AsSpan(1), CultureInfo.InvariantCulture);
            var buffer = new char[n + 2];
            int read = 0;
            while (read < buffer.Length)
            {
                int got = await reader.ReadAsync(buffer.AsMemory(read));
                if (got == 0) throw new EndOfStreamException();
                read += got;
            }
            words[i] = new string(buffer, 0, n);
        }
        return words;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            foreach (TcpClient client in _clients) client.Dispose();
        }
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        _stop.Dispose();
    }
}
