using System.Collections.Frozen;
using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// The one place that decides whether a command that may already have been applied (it was written, then the
/// connection died) can be sent again. Reads can. A write can only when the user opted in
/// (<c>retryIdempotentWrites=true</c>) and applying it twice leaves the data as applying it once does: plain
/// <c>SET</c>, <c>DEL</c>, <c>HSET</c>, <c>EXPIRE</c> and the like. Two things may still differ, which is what the opt-in
/// accepts: a count of what changed comes out lower the second time (DEL answers 0, HSET counts no new field, so the
/// typed booleans say false), and a relative expiry (EX, EXPIRE) starts again from the retry. Everything else is
/// unsafe: anything that adds, counts, pops,
/// returns what it replaced or depends on what it finds (GETDEL, GETSET, SET with NX/XX/GET, SETNX, HSETNX, MSETNX,
/// INCR*, DECR*, APPEND, LPUSH/RPUSH, LPOP/RPOP, XADD, SETBIT…). It is an allowlist: a command it does not know is
/// never re-sent.
/// </summary>
internal static class RetrySafety
{
    private static readonly FrozenSet<string> RepeatableWrites = new[]
    {
        "SET", "SETEX", "PSETEX", "MSET", "SETRANGE", "DEL", "UNLINK",
        "HSET", "HMSET", "HDEL", "SADD", "SREM", "ZADD", "ZREM", "PFADD", "LSET",
        "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True when the command may be sent again after it may have been applied. Blocking commands are: one whose
    /// connection is lost (its node failed over or restarted) has almost always been waiting with nothing taken, and
    /// its caller asked to wait for an element, so it resumes at the slot's owner. The exception is the moment the
    /// server took an element and the connection died before its reply arrived; that element is gone whether or not
    /// the command goes again (the same as for a non-blocking pop answered at the moment of a crash), and going again
    /// takes no second element for nobody: the next one taken is the one the caller receives.
    /// </summary>
    public static bool CanResend(in RespCommand command, CommandFlags flags, bool retryRepeatableWrites) =>
        (flags & (CommandFlags.ReadOnly | CommandFlags.Blocking)) != 0 || (retryRepeatableWrites && IsRepeatableWrite(command));

    /// <summary>True for a write whose second application changes nothing more and whose reply means the same.</summary>
    public static bool IsRepeatableWrite(in RespCommand command)
    {
        string name = command.Name;
        if (!RepeatableWrites.Contains(name)) return false;
        if (name.Equals("SET", StringComparison.OrdinalIgnoreCase))
        {
            // Only the expiry options: NX/XX (and newer conditions such as IFEQ) find a different state the second
            // time, GET returns the value the first one wrote.
            for (int i = 2; i < command.Count; i++)
            {
                if (IsOneOf(command[i], ["EX", "PX", "EXAT", "PXAT"])) i++; // its number follows
                else if (!IsOneOf(command[i], ["KEEPTTL"])) return false;
            }
            return true;
        }
        if (name.Equals("ZADD", StringComparison.OrdinalIgnoreCase))
        {
            // Options stand before the first score (a member may be called "INCR"); INCR adds to the score each time.
            int options = 1;
            while (options < command.Count && IsOneOf(command[options], ["NX", "XX", "GT", "LT", "CH", "INCR"])) options++;
            return !HasOption(command, 1, options, ["INCR"]);
        }
        if (name.EndsWith("EXPIRE", StringComparison.OrdinalIgnoreCase) || name.EndsWith("EXPIREAT", StringComparison.OrdinalIgnoreCase))
        {
            // NX/XX/GT/LT compare with the expiry the first one set: the second reply would say "not set".
            return !HasOption(command, 2, command.Count, ["NX", "XX", "GT", "LT"]);
        }
        return true;
    }

    private static bool HasOption(in RespCommand command, int from, int to, ReadOnlySpan<string> options)
    {
        for (int i = from; i < to; i++)
        {
            if (IsOneOf(command[i], options)) return true;
        }
        return false;
    }

    private static bool IsOneOf(RedisArgument argument, ReadOnlySpan<string> options)
    {
        if (argument.Kind is not (ArgumentKind.Text or ArgumentKind.Bytes)) return false;
        foreach (string option in options)
        {
            if (argument.EqualsIgnoreCase(option)) return true;
        }
        return false;
    }
}
