using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot.Tests.Routing;

/// <summary>The one decision about sending a command again after it may have been applied, table-tested.</summary>
public sealed class RetrySafetyTests
{
    private static RespCommand Command(string line)
    {
        string[] words = line.Split(' ');
        return RespCommand.Create(words[0], [.. words.Skip(1).Select(w => (RedisArgument)w)]);
    }

    [Theory]
    [InlineData("SET k v")]
    [InlineData("set k v EX 10")]
    [InlineData("SET k v PX 10 KEEPTTL")]
    [InlineData("SET k NX")]              // the value is "NX", not the option
    [InlineData("SET k GET")]             // likewise
    [InlineData("SETEX k 10 v")]
    [InlineData("MSET a 1 b 2")]
    [InlineData("DEL a b")]
    [InlineData("UNLINK a")]
    [InlineData("HSET h f v")]
    [InlineData("HDEL h f")]
    [InlineData("SADD s m")]
    [InlineData("ZADD z 1 m")]
    [InlineData("ZADD z NX CH 1 m")]
    [InlineData("ZADD z 1 INCR")]         // a member named INCR
    [InlineData("ZREM z m")]
    [InlineData("EXPIRE k 10")]
    [InlineData("PEXPIREAT k 1700000000000")]
    [InlineData("PERSIST k")]
    [InlineData("PFADD p a")]
    [InlineData("LSET l 0 v")]
    public void Writes_that_leave_the_same_data_when_applied_twice_may_be_resent_with_the_opt_in(string line)
    {
        RespCommand command = Command(line);
        Assert.True(RetrySafety.IsRepeatableWrite(command));
        Assert.True(RetrySafety.CanResend(command, CommandFlags.None, retryRepeatableWrites: true));
        Assert.False(RetrySafety.CanResend(command, CommandFlags.None, retryRepeatableWrites: false));
    }

    [Theory]
    [InlineData("GETDEL k")]
    [InlineData("GETSET k v")]
    [InlineData("GETEX k EX 10")]
    [InlineData("SET k v NX")]
    [InlineData("SET k v xx")]
    [InlineData("SET k v EX 10 GET")]
    [InlineData("SETNX k v")]
    [InlineData("HSETNX h f v")]
    [InlineData("MSETNX a 1")]
    [InlineData("INCR k")]
    [InlineData("DECR k")]
    [InlineData("INCRBY k 2")]
    [InlineData("INCRBYFLOAT k 1.5")]
    [InlineData("HINCRBY h f 1")]
    [InlineData("APPEND k v")]
    [InlineData("LPUSH l a")]
    [InlineData("RPUSH l a")]
    [InlineData("LPOP l")]
    [InlineData("RPOP l 2")]
    [InlineData("SPOP s")]
    [InlineData("XADD s * f v")]
    [InlineData("SETBIT k 7 1")]
    [InlineData("ZADD z INCR 1 m")]
    [InlineData("ZADD z XX incr 1 m")]
    [InlineData("ZINCRBY z 1 m")]
    [InlineData("EXPIRE k 10 NX")]
    [InlineData("PEXPIRE k 10 gt")]
    [InlineData("EXPIREAT k 1 LT")]
    [InlineData("RENAME a b")]
    [InlineData("LTRIM l 1 -1")]          // drops one more element each time
    [InlineData("SET k v IFEQ old")]      // a condition this client does not know of
    [InlineData("SET k v EX 10 NX")]
    [InlineData("EVAL script 0")]
    [InlineData("SOMEFUTURECOMMAND k")]
    public void Writes_whose_second_application_or_reply_would_differ_are_never_resent(string line)
    {
        RespCommand command = Command(line);
        Assert.False(RetrySafety.IsRepeatableWrite(command));
        Assert.False(RetrySafety.CanResend(command, CommandFlags.None, retryRepeatableWrites: true));
    }

    [Fact]
    public void Reads_may_always_be_resent()
    {
        Assert.True(RetrySafety.CanResend(Command("GET k"), CommandFlags.ReadOnly, retryRepeatableWrites: false));
        Assert.True(RetrySafety.CanResend(Command("EVAL_RO s 0"), CommandFlags.ReadOnly, retryRepeatableWrites: false));
    }
}
