using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using Keyslot.Connections;
using Keyslot.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot.Tests.Connections;

/// <summary>
/// A direct command (topology reads, per-node commands) waits on its caller's token only while it waits: once its
/// reply came, the token no longer holds it. Before, an application that passed one long-lived token to its per-node
/// commands kept every finished reply, with its whole value, reachable from that token until it was cancelled.
/// </summary>
public sealed class DirectReplyCancellationTests
{
    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    private static (NodeConnection Connection, Pipe FromServer) Connect()
    {
        var toServer = new Pipe();
        var fromServer = new Pipe();
        var connection = new NodeConnection(NodeEndpoint.Parse("127.0.0.1:6379"), new Duplex(fromServer.Reader, toServer.Writer),
            ConnectionSettings.From(ClusterOptions.Parse("127.0.0.1:6379")), NullLogger.Instance);
        connection.StartReading();
        return (connection, fromServer);
    }

    // Not inlined, so that no local of the test method keeps the reply's task reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> AnsweredReplyAsync(NodeConnection connection, Pipe fromServer, CancellationToken token)
    {
        Task<string> reply = connection.SendDirectAsync(RespCommand.Create("PING"), static (ref RespReader r) => r.GetString()!, token);
        await fromServer.Writer.WriteAsync(Encoding.ASCII.GetBytes("+PONG\r\n"));
        Assert.Equal("PONG", await reply.WaitAsync(TimeSpan.FromSeconds(10)));
        return new WeakReference(reply);
    }

    [Fact]
    public async Task A_finished_reply_is_not_kept_alive_by_a_long_lived_token()
    {
        (NodeConnection connection, Pipe fromServer) = Connect();
        using var lifetime = new CancellationTokenSource();

        WeakReference reply = await AnsweredReplyAsync(connection, fromServer, lifetime.Token);
        for (int i = 0; i < 5 && reply.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(10);
        }

        Assert.False(reply.IsAlive, "the token's registration still holds the finished reply");
        GC.KeepAlive(lifetime);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task A_reply_still_awaited_ends_when_its_token_is_cancelled()
    {
        (NodeConnection connection, _) = Connect();
        using var cancel = new CancellationTokenSource();
        Task<string> reply = connection.SendDirectAsync(RespCommand.Create("PING"), static (ref RespReader r) => r.GetString()!, cancel.Token);

        cancel.Cancel();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reply.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(cancel.Token, error.CancellationToken);
        await connection.DisposeAsync();
    }
}
