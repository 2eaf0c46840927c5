using System.Text;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

public class RedisErrorClassifierTests
{
    [Theory]
    [InlineData("MOVED 3999 127.0.0.1:6381", RedisErrorKind.Moved)]
    [InlineData("ASK 3999 127.0.0.1:6381", RedisErrorKind.Ask)]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot", RedisErrorKind.TryAgain)]
    [InlineData("CLUSTERDOWN The cluster is down", RedisErrorKind.ClusterDown)]
    [InlineData("LOADING Redis is loading the dataset in memory", RedisErrorKind.Loading)]
    [InlineData("NOSCRIPT No matching script. Please use EVAL.", RedisErrorKind.NoScript)]
    [InlineData("CROSSSLOT Keys in request don't hash to the same slot", RedisErrorKind.CrossSlot)]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value", RedisErrorKind.WrongType)]
    [InlineData("NOAUTH Authentication required.", RedisErrorKind.NoAuth)]
    [InlineData("WRONGPASS invalid username-password pair or user is disabled.", RedisErrorKind.WrongPass)]
    [InlineData("NOPERM User default has no permissions to run the 'get' command", RedisErrorKind.NoPerm)]
    [InlineData("READONLY You can't write against a read only replica.", RedisErrorKind.ReadOnly)]
    [InlineData("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", RedisErrorKind.MasterDown)]
    [InlineData("BUSY Redis is busy running a script.", RedisErrorKind.Busy)]
    [InlineData("EXECABORT Transaction discarded because of previous errors.", RedisErrorKind.ExecAbort)]
    [InlineData("ERR unknown command 'HELLO', with args beginning with: ", RedisErrorKind.UnknownCommand)]
    [InlineData("ERR unknown command `HELLO`, with args beginning with: `3`, ", RedisErrorKind.UnknownCommand)]
    [InlineData("ERR syntax error", RedisErrorKind.Other)]
    [InlineData("ERR", RedisErrorKind.Other)]
    [InlineData("BUSYKEY Target key name already exists.", RedisErrorKind.Other)]
    [InlineData("BUSYGROUP Consumer Group name already exists", RedisErrorKind.Other)]
    [InlineData("MOVEDX 1 a:1", RedisErrorKind.Other)]
    [InlineData("moved 1 a:1", RedisErrorKind.Other)]
    [InlineData("MOVED", RedisErrorKind.Moved)]
    [InlineData("", RedisErrorKind.Other)]
    public void Classifies_by_error_code(string message, RedisErrorKind expected)
        => Assert.Equal(expected, RedisErrorClassifier.Classify(Encoding.UTF8.GetBytes(message)));

    [Theory]
    [InlineData("MOVED 3999 127.0.0.1:6381", false, 3999, "127.0.0.1", 6381, true)]
    [InlineData("ASK 0 10.0.0.5:7000", true, 0, "10.0.0.5", 7000, true)]
    [InlineData("MOVED 16383 redis-node-3.example.com:6379", false, 16383, "redis-node-3.example.com", 6379, true)]
    [InlineData("MOVED 12 :6380", false, 12, "", 6380, true)]
    [InlineData("MOVED 12 ?:6380", false, 12, "?", 6380, false)]
    [InlineData("MOVED 12 10.0.0.1:0", false, 12, "10.0.0.1", 0, false)]
    [InlineData("MOVED 12 ::1:6380", false, 12, "::1", 6380, true)]
    [InlineData("ASK 77 2001:db8::ff00:42:8329:7001", true, 77, "2001:db8::ff00:42:8329", 7001, true)]
    [InlineData("MOVED 77 [2001:db8::1]:7001", false, 77, "2001:db8::1", 7001, true)]
    public void Parses_redirects(string message, bool ask, int slot, string host, int port, bool usable)
    {
        Assert.True(RedisErrorClassifier.TryParseRedirect(Encoding.UTF8.GetBytes(message), out Redirect redirect));
        Assert.Equal(new Redirect(ask ? RedirectKind.Ask : RedirectKind.Moved, slot, host, port), redirect);
        Assert.Equal(usable, redirect.HasUsableEndpoint);
    }

    [Theory]
    [InlineData("MOVED")]
    [InlineData("MOVED 3999")]
    [InlineData("MOVED 3999 127.0.0.1")]
    [InlineData("MOVED 16384 127.0.0.1:6379")]
    [InlineData("MOVED -1 127.0.0.1:6379")]
    [InlineData("MOVED x 127.0.0.1:6379")]
    [InlineData("MOVED 1 127.0.0.1:65536")]
    [InlineData("MOVED 1 127.0.0.1:")]
    [InlineData("MOVED 1 127.0.0.1:+80")]
    [InlineData("MOVED 1 127.0.0.1:80 extra")]
    [InlineData("MOVED  1 127.0.0.1:80")]
    [InlineData("ERR 1 127.0.0.1:80")]
    [InlineData("ASKING 1 a:1")]
    public void Rejects_malformed_redirects(string message)
        => Assert.False(RedisErrorClassifier.TryParseRedirect(Encoding.UTF8.GetBytes(message), out _));
}
