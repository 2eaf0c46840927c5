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
/// INCR*, DECR*, APPEND, LPUSH/RPUSH, LPOP/RPOP, LTRIM, XADD, XCLAIM, XREADGROUP, SETBIT, BITFIELD, ZREMRANGEBYRANK,
/// SDIFFSTORE and the other STORE forms whose destination may be a source of the next run, RENAME, XGROUP CREATE,
/// COPY/RESTORE without REPLACE, LREM with a count, XTRIM ~…). It is an allowlist: a command it does not know is
/// never re-sent. Blocking commands are the one rule of their own (see <see cref="CanResend"/>).
/// </summary>
internal static class RetrySafety
{
    private static readonly FrozenSet<string> RepeatableWrites = new[]
    {
        "SET", "SETEX", "PSETEX", "MSET", "SETRANGE", "DEL", "UNLINK",
        "HSET", "HMSET", "HDEL", "SADD", "SREM", "SMOVE", "SUNIONSTORE", "SINTERSTORE", "ZADD", "ZREM",
        "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "GEOADD", "PFADD", "LSET", "LREM",
        "XACK", "XDEL", "XTRIM", "XGROUP", "COPY", "RESTORE",
        "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True when the command may be sent again after it may have been applied. Most blocking commands are: one whose
    /// connection is lost (its node failed over or restarted) has almost always been waiting with nothing taken, and
    /// its caller asked to wait, so it resumes at the slot's owner. A pop (BLPOP, BZPOPMIN, BLMPOP…) answered at the
    /// very moment the connection died lost its element whether or not it goes again, as a non-blocking pop would, and
    /// going again takes nothing more for nobody: the next element taken is the one the caller receives. XREADGROUP's
    /// entries delivered by a lost reply stay pending for the consumer (XPENDING, XAUTOCLAIM), and XREAD takes nothing.
    /// Not resumed: BLMOVE and BRPOPLPUSH (a lost reply's element already sits in the destination; a second run would
    /// move one more) and XREADGROUP with NOACK (its entries would be acknowledged and gone).
    /// </summary>
    public static bool CanResend(in RespCommand command, CommandFlags flags, bool retryRepeatableWrites)
    {
        if ((flags & CommandFlags.Blocking) != 0) return BlockingResumes(command);
        return (flags & CommandFlags.ReadOnly) != 0 || (retryRepeatableWrites && IsRepeatableWrite(command));
    }

    private static bool BlockingResumes(in RespCommand command)
    {
        string name = command.Name;
        if (name.Equals("BLMOVE", StringComparison.OrdinalIgnoreCase) || name.Equals("BRPOPLPUSH", StringComparison.OrdinalIgnoreCase)) return false;
        if (!name.Equals("XREADGROUP", StringComparison.OrdinalIgnoreCase)) return true;
        for (int i = 0; i < command.Count; i++)
        {
            if (IsOneOf(command[i], ["STREAMS"])) return true; // options stand before STREAMS; after it come keys and IDs
            if (IsOneOf(command[i], ["GROUP"])) i += 2;        // the group's and the consumer's names, which may be anything
            else if (IsOneOf(command[i], ["NOACK"])) return false;
        }
        return true;
    }

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
        // (GEOADD's options, NX/XX/CH, all repeat; it has no INCR.)
        if (name.Equals("LREM", StringComparison.OrdinalIgnoreCase))
        {
            // LREM 0 removes every occurrence (the second finds none); a count removes that many more each time.
            return command.Count > 1 && command[1].Kind == ArgumentKind.Integer ? command[1].Integer == 0 : command.Count > 1 && IsOneOf(command[1], ["0"]);
        }
        if (name.Equals("XTRIM", StringComparison.OrdinalIgnoreCase))
        {
            // Exact trimming leaves the same stream; approximate (~) trims whole nodes and may trim more the second time.
            return !HasOption(command, 2, command.Count, ["~"]);
        }
        if (name.Equals("XGROUP", StringComparison.OrdinalIgnoreCase))
        {
            // CREATE fails the second time (BUSYGROUP); DESTROY, SETID, CREATECONSUMER and DELCONSUMER leave the same state.
            return command.Count > 0 && IsOneOf(command[0], ["DESTROY", "SETID", "CREATECONSUMER", "DELCONSUMER"]);
        }
        if (name.Equals("COPY", StringComparison.OrdinalIgnoreCase) || name.Equals("RESTORE", StringComparison.OrdinalIgnoreCase))
        {
            // Without REPLACE the second finds the destination taken (COPY answers 0, RESTORE fails with BUSYKEY). The
            // options follow COPY's two keys, and RESTORE's key, TTL and payload.
            int options = name.Equals("COPY", StringComparison.OrdinalIgnoreCase) ? 2 : 3;
            return HasOption(command, options, command.Count, ["REPLACE"]);
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
