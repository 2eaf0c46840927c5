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
    [InlineData("LREM l 0 v")]
    [InlineData("SMOVE a b m")]
    [InlineData("SUNIONSTORE d a b")]
    [InlineData("SINTERSTORE d d b")]     // d ∩ b, then (d ∩ b) ∩ b: the same
    [InlineData("ZREMRANGEBYSCORE z 1 5")]
    [InlineData("ZREMRANGEBYLEX z [a [c")]
    [InlineData("GEOADD g XX CH 13.36 38.11 palermo")]
    [InlineData("XACK s g 1-0")]
    [InlineData("XDEL s 1-0")]
    [InlineData("XTRIM s MAXLEN = 10")]
    [InlineData("XTRIM s MINID 5-0")]
    [InlineData("XGROUP DESTROY s g")]
    [InlineData("xgroup setid s g $")]
    [InlineData("XGROUP CREATECONSUMER s g c")]
    [InlineData("COPY a b REPLACE")]
    [InlineData("RESTORE k 0 payload REPLACE")]
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
    [InlineData("LREM l 2 v")]            // two more each time
    [InlineData("ZREMRANGEBYRANK z 0 0")] // the next lowest each time
    [InlineData("SDIFFSTORE d s d")]      // s \ d, then s \ (s \ d) = s ∩ d
    [InlineData("ZUNIONSTORE d 1 d")]     // SUM adds the scores again
    [InlineData("XTRIM s MAXLEN ~ 10")]
    [InlineData("XGROUP CREATE s g $")]   // BUSYGROUP the second time
    [InlineData("COPY a b")]              // 0 the second time: "not copied"
    [InlineData("RESTORE k 0 payload")]   // BUSYKEY the second time
    [InlineData("XCLAIM s g c 0 1-0")]
    [InlineData("BITFIELD k INCRBY u8 0 1")]
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

    [Theory]
    [InlineData("BLPOP k 0", true)]
    [InlineData("BZMPOP 0 1 z MIN", true)]
    [InlineData("XREAD BLOCK 0 STREAMS s $", true)]
    [InlineData("XREADGROUP GROUP g c BLOCK 0 STREAMS s >", true)]       // delivered entries stay pending: recoverable
    [InlineData("XREADGROUP GROUP NOACK c BLOCK 0 STREAMS s >", true)]   // a group named NOACK is not the option
    [InlineData("XREADGROUP GROUP g c BLOCK 0 NOACK STREAMS s >", false)] // acknowledged and gone if the reply is lost
    [InlineData("BLMOVE a b LEFT RIGHT 0", false)]                        // the element would already be in b
    [InlineData("BRPOPLPUSH a b 0", false)]
    public void A_blocking_command_resumes_after_a_lost_connection_unless_the_lost_reply_moved_or_acknowledged_something(string line, bool resumes) =>
        Assert.Equal(resumes, RetrySafety.CanResend(Command(line), CommandFlags.Blocking, retryRepeatableWrites: false));

    [Fact]
    public void Reads_may_always_be_resent()
    {
        Assert.True(RetrySafety.CanResend(Command("GET k"), CommandFlags.ReadOnly, retryRepeatableWrites: false));
        Assert.True(RetrySafety.CanResend(Command("EVAL_RO s 0"), CommandFlags.ReadOnly, retryRepeatableWrites: false));
    }
}
