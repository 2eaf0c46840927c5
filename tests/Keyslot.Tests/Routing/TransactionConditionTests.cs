using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot.Tests.Routing;

public sealed class TransactionConditionTests
{
    [Fact]
    public void Existence_conditions_read_the_integer_reply()
    {
        Assert.True(TransactionCondition.KeyExists("k").IsMet(RespValue.FromInt64(1)));
        Assert.False(TransactionCondition.KeyExists("k").IsMet(RespValue.FromInt64(0)));
        Assert.True(TransactionCondition.KeyNotExists("k").IsMet(RespValue.FromInt64(0)));
        Assert.False(TransactionCondition.HashNotExists("k", "f").IsMet(RespValue.FromInt64(1)));
        Assert.True(TransactionCondition.HashExists("k", "f").IsMet(RespValue.FromInt64(1)));
    }

    [Fact]
    public void Equality_compares_the_stored_bytes_and_a_missing_key_equals_nothing()
    {
        Assert.True(TransactionCondition.StringEqual("k", "v").IsMet(RespValue.FromString("v")));
        Assert.False(TransactionCondition.StringEqual("k", "v").IsMet(RespValue.FromString("w")));
        Assert.False(TransactionCondition.StringEqual("k", "v").IsMet(RespValue.Null));
        Assert.True(TransactionCondition.StringNotEqual("k", "v").IsMet(RespValue.Null));
        Assert.True(TransactionCondition.StringEqual("k", 42).IsMet(RespValue.FromString("42")));       // numbers as the server stores them
        Assert.True(TransactionCondition.StringEqual("k", 1.5).IsMet(RespValue.FromString("1.5")));
        Assert.True(TransactionCondition.HashEqual("k", "f", new byte[] { 1, 2 }).IsMet(RespValue.FromBytes([1, 2])));
    }

    [Fact]
    public void A_condition_names_its_key_and_kind_and_reads_with_the_right_command()
    {
        TransactionCondition condition = TransactionCondition.HashEqual("{u}:h", "f", "secret-value");
        Assert.Equal("HGET", condition.Read.Name);
        Assert.Equal(ClusterClient.GetSlot("{u}:h"), condition.Slot);
        Assert.Contains("{u}:h", condition.ToString());
        Assert.DoesNotContain("secret-value", condition.ToString()); // values stay out of messages and logs
    }

    [Theory]
    [InlineData("MULTI")]
    [InlineData("exec")]
    [InlineData("Discard")]
    [InlineData("WATCH")]
    [InlineData("UNWATCH")]
    [InlineData("SUBSCRIBE")]
    [InlineData("MONITOR")]
    [InlineData("SELECT")]
    [InlineData("RESET")]
    [InlineData("ASKING")]
    [InlineData("readonly")]
    [InlineData("READWRITE")]
    public void Commands_that_change_a_shared_connection_are_refused_by_name(string command)
    {
        var error = Assert.Throws<RedisCommandRefusedException>(() => ConnectionStateGuard.ThrowIfRefused(command, []));
        Assert.Contains(command.ToUpperInvariant(), error.Message);
        Assert.Contains("shared", error.Message);
    }

    [Theory]
    [InlineData("BLPOP", "k", "0")]
    [InlineData("brpop", "k", "1")]
    [InlineData("BRPOPLPUSH", "a", "b", "0")]
    [InlineData("BLMOVE", "a", "b", "LEFT", "RIGHT", "0")]
    [InlineData("BLMPOP", "0", "1", "k", "LEFT")]
    [InlineData("BZPOPMIN", "z", "0")]
    [InlineData("BZPOPMAX", "z", "0")]
    [InlineData("BZMPOP", "0", "1", "z", "MIN")]
    [InlineData("XREAD", "BLOCK", "0", "STREAMS", "s", "$")]
    [InlineData("xreadgroup", "GROUP", "g", "c", "COUNT", "1", "block", "100", "STREAMS", "s", ">")]
    public void Blocking_commands_are_refused_on_shared_connections_with_the_reason(string command, params string[] args)
    {
        RedisArgument[] arguments = [.. args.Select(a => (RedisArgument)a)];
        Assert.Null(Record.Exception(() => ConnectionStateGuard.ThrowIfRefused(command, arguments))); // the client runs them on its blocking pool
        var error = Assert.Throws<RedisCommandRefusedException>(() => ConnectionStateGuard.ThrowIfBlocking(command, arguments, "send it with ExecuteAsync"));
        Assert.Equal(command.ToUpperInvariant(), error.Command);
        Assert.Contains("blocks the connection", error.Message);
        Assert.Contains("nothing was sent; send it with ExecuteAsync", error.Message);
    }

    [Theory]
    [InlineData("WAIT", "1", "0")]
    [InlineData("waitaof", "1", "0", "0")]
    public void Wait_and_waitaof_are_refused_everywhere_since_they_measure_their_own_connection(string command, params string[] args)
    {
        RedisArgument[] arguments = [.. args.Select(a => (RedisArgument)a)];
        var error = Assert.Throws<RedisCommandRefusedException>(() => ConnectionStateGuard.ThrowIfRefused(command, arguments));
        Assert.Equal(command.ToUpperInvariant(), error.Command);
        Assert.Contains("writes of the connection it runs on", error.Message);
        Assert.Contains("nothing was sent", error.Message);
    }

    [Theory]
    [InlineData("XREAD", "COUNT", "5", "STREAMS", "BLOCK", "0")]          // a stream named BLOCK is not the option
    [InlineData("XREADGROUP", "GROUP", "g", "c", "STREAMS", "block", ">")]
    [InlineData("XREADGROUP", "GROUP", "BLOCK", "block", "COUNT", "1", "STREAMS", "s", ">")] // a group and a consumer named BLOCK
    [InlineData("LPOP", "k")]
    public void Non_blocking_forms_pass_the_guard(string command, params string[] args)
    {
        RedisArgument[] arguments = [.. args.Select(a => (RedisArgument)a)];
        Assert.Null(Record.Exception(() => ConnectionStateGuard.ThrowIfRefused(command, arguments)));
        Assert.Null(Record.Exception(() => ConnectionStateGuard.ThrowIfBlocking(command, arguments, "advice")));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("EVAL")]
    [InlineData("CLIENT")]
    public void Ordinary_commands_pass_the_guard(string command) => Assert.Null(Record.Exception(() => ConnectionStateGuard.ThrowIfRefused(command, ["LIST"])));

    [Theory]
    [InlineData("OFF")]
    [InlineData("SKIP")]
    [InlineData("ON")]
    public void Client_reply_is_refused_because_a_silenced_reply_would_shift_every_later_one(string mode)
    {
        var error = Assert.Throws<RedisCommandRefusedException>(() => ConnectionStateGuard.ThrowIfRefused("client", ["reply", mode]));
        Assert.Contains("CLIENT REPLY", error.Message);
        Assert.Null(Record.Exception(() => ConnectionStateGuard.ThrowIfRefused("CLIENT", ["SETNAME", "x"])));
    }
}
