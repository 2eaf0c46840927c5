using System.Buffers;
using System.IO.Pipelines;
using Keyslot.Connections;
using Keyslot.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot.Tests.Connections;

/// <summary>
/// A write that fails half-way through several commands (a writer's bug, memory running out): the connection closes,
/// the replies that write had queued are taken back, and none of its bytes reach the wire. Its caller is told
/// Closed and sends the commands again elsewhere, so no command may stay queued here or be sent from here as well.
/// Over in-memory pipes (no server, no read loop), so what the connection queued and wrote can be seen exactly.
/// </summary>
public sealed class NodeConnectionWriteFailureTests
{
    private sealed class Command(bool fails) : QueuedCommand
    {
        public override string CommandName => "PING";
        public override void WriteCommand(IBufferWriter<byte> writer)
        {
            if (fails) throw new InvalidOperationException("the writer broke");
            RespCommand.Create("PING").WriteTo(writer);
        }
        public override void OnReply(ref RespReader reader) { }
        public override void OnTimeout(NodeConnection connection, int inFlight) { }
        public override void OnConnectionLost(NodeConnection connection, Exception cause) { }
        public override void Fail(Exception error) { }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    [Fact]
    public async Task A_batch_whose_write_fails_half_way_leaves_nothing_queued_and_nothing_on_the_wire()
    {
        var toServer = new Pipe();
        var fromServer = new Pipe();
        var connection = new NodeConnection(NodeEndpoint.Parse("127.0.0.1:6379"), new Duplex(fromServer.Reader, toServer.Writer),
            ConnectionSettings.From(ClusterOptions.Parse("127.0.0.1:6379")), NullLogger.Instance);
        var before = new Command(fails: false);
        Assert.Equal(SendResult.Sent, connection.Send(RespCommand.Create("PING"), before));

        var written = new Command(fails: false);
        SendResult result = connection.SendMany([written, new Command(fails: true), new Command(fails: false)]);

        Assert.Equal(SendResult.Closed, result);
        Assert.Equal(1, connection.InFlight); // only the command sent before: the fault fails it as lost
        Assert.False(written.InQueue);
        Assert.True(before.InQueue);
        // The output was closed with the error: the send loop gets the error, not the half-written batch's bytes.
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => toServer.Reader.ReadAsync().AsTask());
        Assert.Equal("the writer broke", error.Message);
        Assert.Equal(SendResult.Closed, connection.Send(RespCommand.Create("PING"), new Command(fails: false)));
    }
}
