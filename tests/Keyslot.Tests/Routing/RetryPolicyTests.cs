using Keyslot.Connections;
using Keyslot.Routing;

namespace Keyslot.Tests.Routing;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData("MOVED 3999 127.0.0.1:6381", nameof(RetryAction.FollowMoved))]
    [InlineData("ASK 3999 127.0.0.1:6381", nameof(RetryAction.FollowAsk))]
    [InlineData("MOVED 3999 ?:6381", nameof(RetryAction.RefreshThenRetry))]
    [InlineData("ASK 3999 127.0.0.1:0", nameof(RetryAction.RefreshThenRetry))]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot", nameof(RetryAction.Backoff))]
    [InlineData("CLUSTERDOWN The cluster is down", nameof(RetryAction.Backoff))]
    [InlineData("LOADING Redis is loading the dataset in memory", nameof(RetryAction.Backoff))]
    [InlineData("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", nameof(RetryAction.Backoff))]
    [InlineData("READONLY You can't write against a read only replica.", nameof(RetryAction.RefreshThenRetry))]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value", nameof(RetryAction.Fail))]
    [InlineData("NOSCRIPT No matching script.", nameof(RetryAction.Fail))]
    [InlineData("CROSSSLOT Keys in request don't hash to the same slot", nameof(RetryAction.Fail))]
    [InlineData("ERR wrong number of arguments for 'get' command", nameof(RetryAction.Fail))]
    [InlineData("NOPERM this user has no permissions to run the 'set' command", nameof(RetryAction.Fail))]
    public void Each_error_kind_gets_its_action(string reply, string expectedAction)
    {
        RetryAction expected = Enum.Parse<RetryAction>(expectedAction);
        ServerError error = ServerError.FromText(System.Text.Encoding.ASCII.GetBytes(reply));
        Assert.Equal(expected, RetryPolicy.Decide(error, redirects: 0, maxRedirects: 5));
    }

    [Theory]
    [InlineData("MOVED 1 127.0.0.1:7000", nameof(RetryAction.GiveUp))]
    [InlineData("ASK 1 127.0.0.1:7000", nameof(RetryAction.GiveUp))]
    [InlineData("MOVED 1 ?:7000", nameof(RetryAction.GiveUp))]
    [InlineData("TRYAGAIN later", nameof(RetryAction.Backoff))]       // backoff retries are bounded by the deadline, not the redirect limit
    [InlineData("WRONGTYPE no", nameof(RetryAction.Fail))]
    public void The_redirect_limit_stops_redirects_only(string reply, string expectedAction)
    {
        RetryAction expected = Enum.Parse<RetryAction>(expectedAction);
        ServerError error = ServerError.FromText(System.Text.Encoding.ASCII.GetBytes(reply));
        Assert.Equal(expected, RetryPolicy.Decide(error, redirects: 5, maxRedirects: 5));
        Assert.NotEqual(RetryAction.GiveUp, RetryPolicy.Decide(error, redirects: 4, maxRedirects: 5));
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(4, 80)]
    [InlineData(6, 320)]
    [InlineData(7, 500)]
    [InlineData(30, 500)]
    public void Backoff_doubles_from_10_ms_to_500_ms_with_jitter(int attempt, double nominalMs)
    {
        for (int i = 0; i < 200; i++)
        {
            double ms = Backoff.Retry(attempt).TotalMilliseconds;
            Assert.InRange(ms, nominalMs * 0.5, nominalMs * 1.5);
        }
    }

    [Theory]
    [InlineData(1, 50)]
    [InlineData(3, 200)]
    [InlineData(20, 2000)]
    public void Reconnect_backoff_doubles_from_50_ms_to_2_s_with_jitter(int failures, double nominalMs)
    {
        for (int i = 0; i < 200; i++)
        {
            Assert.InRange(Backoff.Reconnect(failures).TotalMilliseconds, nominalMs * 0.75, nominalMs * 1.25);
        }
    }
}
