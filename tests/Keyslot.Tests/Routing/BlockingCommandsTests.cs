using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot.Tests.Routing;

/// <summary>Where each blocking command says how long it may wait, read from the command itself (the client bounds the wait by it).</summary>
public sealed class BlockingCommandsTests
{
    [Theory]
    [InlineData(1500.0, "BLPOP", "a", "b", "1.5")]
    [InlineData(2000.0, "brpop", "a", "2")]
    [InlineData(250.0, "BLMOVE", "a", "b", "LEFT", "RIGHT", "0.25")]
    [InlineData(3000.0, "BLMPOP", "3", "1", "k", "LEFT")]
    [InlineData(4000.0, "BZMPOP", "4", "1", "z", "MIN", "COUNT", "9")]
    [InlineData(100.0, "XREAD", "COUNT", "5", "BLOCK", "100", "STREAMS", "s", "$")]
    [InlineData(70.0, "XREADGROUP", "GROUP", "BLOCK", "c", "BLOCK", "70", "STREAMS", "s", ">")]
    public void The_servers_timeout_is_read_where_the_command_puts_it(double milliseconds, string name, params string[] args)
    {
        RespCommand command = RespCommand.Create(name, [.. args.Select(a => (RedisArgument)a)]);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), BlockingCommands.ServerTimeout(command));
    }

    [Theory]
    [InlineData("BLPOP", "a", "0")]                      // 0: until an element comes
    [InlineData("BLPOP", "a", "soon")]                   // unreadable: the server refuses it at once
    [InlineData("XREAD", "BLOCK", "0", "STREAMS", "s", "$")]
    [InlineData("XREAD", "COUNT", "1", "STREAMS", "BLOCK", "5")] // a stream named BLOCK: no BLOCK option
    [InlineData("GET", "k")]
    public void No_server_timeout_means_no_client_bound_but_the_token(string name, params string[] args)
    {
        RespCommand command = RespCommand.Create(name, [.. args.Select(a => (RedisArgument)a)]);
        Assert.Null(BlockingCommands.ServerTimeout(command));
    }

    [Fact]
    public void Typed_arguments_are_read_as_numbers_too()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), BlockingCommands.ServerTimeout(RespCommand.Create("BLPOP", "k", 0.5)));
        Assert.Equal(TimeSpan.FromSeconds(7), BlockingCommands.ServerTimeout(RespCommand.Create("BLPOP", "k", 7)));
    }

    [Theory]
    [InlineData("XREAD", false, "COUNT", "1", "STREAMS", "s", "0")]
    [InlineData("XREAD", true, "BLOCK", "1", "STREAMS", "s", "0")]
    [InlineData("BLPOP", true, "k", "1")]
    [InlineData("LPOP", false, "k")]
    public void Is_blocking_looks_at_the_block_option_of_stream_reads_only(string name, bool blocking, params string[] args) =>
        Assert.Equal(blocking, BlockingCommands.IsBlocking(name, [.. args.Select(a => (RedisArgument)a)]));
}
