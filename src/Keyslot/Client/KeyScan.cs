using System.Buffers.Text;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

/// <summary>
/// What SSCAN, ZSCAN and HSCAN share: the command (<c>NAME key cursor [MATCH pattern] [COUNT n]</c>) and the cursor of
/// the reply (<c>[cursor, [items…]]</c>).
/// </summary>
internal static class KeyScan
{
    public static RespCommand Build(string name, RedisKey key, ulong cursor, string? pattern, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1, nameof(pageSize));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        // A cursor may exceed long.MaxValue: it is sent as its decimal text then.
        builder.Add(cursor <= long.MaxValue ? (RedisArgument)(long)cursor : cursor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (pattern is not null)
        {
            builder.Add("MATCH");
            builder.Add(pattern);
        }
        if (pageSize != 10) // the server's default
        {
            builder.Add("COUNT");
            builder.Add(pageSize);
        }
        return builder.Build(name);
    }

    /// <summary>Reads the cursor of a scan reply and leaves the reader on the items' array.</summary>
    public static ulong ReadCursor(ref RespReader r)
    {
        if (!r.IsAggregate || r.Length != 2) throw new InvalidCastException($"Cannot read a RESP {r.Type} of {r.Length} as a [cursor, items] scan page.");
        r.Read();
        ulong cursor;
        if (r.Type == RespType.Integer)
        {
            cursor = (ulong)r.GetInt64();
        }
        else if (!Utf8Parser.TryParse(r.ScalarSpan, out cursor, out int consumed) || consumed != r.Length)
        {
            throw new InvalidCastException("The scan cursor is not an unsigned integer.");
        }
        r.Read();
        return cursor;
    }
}
