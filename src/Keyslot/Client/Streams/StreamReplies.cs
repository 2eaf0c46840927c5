using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>
/// The stream replies as typed results, RESP2 and RESP3 alike: an entry is <c>[id, [field, value, …]]</c> (the pairs
/// a nil for an entry deleted while pending); XREAD/XREADGROUP answer a map of stream to entries (RESP3) or an array
/// of <c>[stream, entries]</c> (RESP2), or nil when there is nothing new; XINFO and XPENDING's summary are maps
/// (RESP3) or flat arrays (RESP2). Shapes are checked before anything is allocated for them.
/// </summary>
internal static class StreamReplies
{
    private static readonly ReplyParser<string> TextValue = static (ref RespReader r) => r.GetString() ?? "";
    private static readonly ReplyParser<byte[]> BytesValue = static (ref RespReader r) => r.GetBytes() ?? [];


    /// <summary>An array of IDs (XCLAIM JUSTID).</summary>
    public static readonly ReplyParser<string[]> Ids = static (ref RespReader r) => ReadIds(ref r);

    public static readonly ReplyParser<StreamEntry[]> Entries = static (ref RespReader r) => ReadEntries(ref r);

    public static readonly ReplyParser<StreamBytesEntry[]> BytesEntries = static (ref RespReader r) => ReadBytesEntries(ref r);

    /// <summary>XREAD / XREADGROUP of several streams. Internal so that the blocking forms can share it.</summary>
    public static readonly ReplyParser<StreamReadResult[]> Read = static (ref RespReader r) =>
        ReadStreams(ref r, Entries, static (key, entries) => new StreamReadResult(key, entries));

    /// <summary>XREAD / XREADGROUP of several streams, values as bytes.</summary>
    public static readonly ReplyParser<StreamReadBytesResult[]> ReadBytes = static (ref RespReader r) =>
        ReadStreams(ref r, BytesEntries, static (key, entries) => new StreamReadBytesResult(key, entries));

    /// <summary>XREAD / XREADGROUP of one stream: its entries (the only stream of the reply), empty when nothing is new.</summary>
    public static readonly ReplyParser<StreamEntry[]> ReadSingle = static (ref RespReader r) => ReadOneStream(ref r, Entries);

    /// <summary>XREAD / XREADGROUP of one stream, values as bytes.</summary>
    public static readonly ReplyParser<StreamBytesEntry[]> ReadSingleBytes = static (ref RespReader r) => ReadOneStream(ref r, BytesEntries);

    /// <summary>The streams of an XREAD/XREADGROUP reply (a RESP3 map or RESP2 [[key, entries]…]); none for a null reply.</summary>
    private static TResult[] ReadStreams<TResult, TEntry>(ref RespReader r, ReplyParser<TEntry[]> readEntries, Func<RedisKey, TEntry[], TResult> make)
    {
        if (r.Type == RespType.Null) return [];
        long count = StreamCount(ref r);
        var result = new TResult[count];
        for (long i = 0; i < count; i++)
        {
            RedisKey key = ReadStreamKey(ref r, out _);
            r.Read();
            result[i] = make(key, readEntries(ref r));
        }
        return result;
    }

    private static TEntry[] ReadOneStream<TEntry>(ref RespReader r, ReplyParser<TEntry[]> readEntries)
    {
        if (r.Type == RespType.Null) return [];
        long count = StreamCount(ref r);
        if (count == 0) return [];
        if (count != 1) throw new InvalidCastException($"Expected the entries of one stream, got {count} streams.");
        ReadStreamKey(ref r, out _);
        r.Read();
        return readEntries(ref r);
    }

    /// <summary>XAUTOCLAIM: <c>[next, [entries…], [deleted ids…]]</c> (the third from Redis 7).</summary>
    public static readonly ReplyParser<StreamAutoClaimResult> AutoClaim = static (ref RespReader r) =>
    {
        StreamEntry[] entries = ReadAutoClaim(ref r, Entries, out string next, out string[] deleted);
        return new StreamAutoClaimResult(next, entries, deleted);
    };

    /// <summary>XAUTOCLAIM with the values as exact bytes.</summary>
    public static readonly ReplyParser<StreamAutoClaimBytesResult> AutoClaimBytes = static (ref RespReader r) =>
    {
        StreamBytesEntry[] entries = ReadAutoClaim(ref r, BytesEntries, out string next, out string[] deleted);
        return new StreamAutoClaimBytesResult(next, entries, deleted);
    };

    private static T[] ReadAutoClaim<T>(ref RespReader r, ReplyParser<T[]> readEntries, out string next, out string[] deleted)
    {
        ReplyParsers.ExpectAggregate(ref r, "an XAUTOCLAIM reply");
        long length = r.Length;
        if (length < 2) throw new InvalidCastException($"An XAUTOCLAIM reply has at least 2 elements, not {length}.");
        r.Read();
        next = r.GetString() ?? "0-0";
        r.Read();
        T[] entries = readEntries(ref r);
        deleted = [];
        if (length > 2)
        {
            r.Read();
            deleted = ReadIds(ref r);
        }
        return entries;
    }

    /// <summary>XPENDING summary: <c>[count, lowest, highest, [[consumer, count], …] or nil]</c>.</summary>
    public static readonly ReplyParser<StreamPendingInfo> PendingSummary = static (ref RespReader r) =>
    {
        ReplyParsers.ExpectAggregate(ref r, "an XPENDING summary");
        if (r.Length != 4) throw new InvalidCastException($"An XPENDING summary has 4 elements, not {r.Length}.");
        r.Read();
        long count = r.GetInt64();
        r.Read();
        string? lowest = r.Type == RespType.Null ? null : r.GetString();
        r.Read();
        string? highest = r.Type == RespType.Null ? null : r.GetString();
        r.Read();
        StreamConsumerPending[] consumers = [];
        if (r.Type != RespType.Null)
        {
            ReplyParsers.ExpectAggregate(ref r, "the pending consumers");
            consumers = new StreamConsumerPending[r.Length];
            for (int i = 0; i < consumers.Length; i++)
            {
                r.Read();
                ReplyParsers.ExpectAggregate(ref r, "a pending consumer");
                if (r.Length != 2) throw new InvalidCastException("A pending consumer is [name, count].");
                r.Read();
                string name = r.GetString() ?? "";
                r.Read();
                consumers[i] = new StreamConsumerPending(name, r.GetInt64());
            }
        }
        return new StreamPendingInfo(count, lowest, highest, consumers);
    };

    /// <summary>XPENDING extended: <c>[[id, consumer, idle ms, deliveries], …]</c>.</summary>
    public static readonly ReplyParser<StreamPendingEntry[]> PendingEntries = static (ref RespReader r) =>
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "the pending entries");
        var result = new StreamPendingEntry[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            ReplyParsers.ExpectAggregate(ref r, "a pending entry");
            if (r.Length != 4) throw new InvalidCastException("A pending entry is [id, consumer, idle, deliveries].");
            r.Read();
            string id = r.GetString() ?? "";
            r.Read();
            string consumer = r.GetString() ?? "";
            r.Read();
            TimeSpan idle = TimeSpan.FromMilliseconds(r.GetInt64());
            r.Read();
            result[i] = new StreamPendingEntry(id, consumer, idle, r.GetInt64());
        }
        return result;
    };

    public static readonly ReplyParser<StreamInfo> Info = static (ref RespReader r) =>
    {
        ReplyParsers.ExpectAggregate(ref r, "XINFO STREAM");
        long pairs = r.Length / 2;
        long length = 0, keys = 0, nodes = 0, groups = 0, added = 0;
        string lastId = "";
        string? maxDeleted = null, recordedFirst = null;
        StreamEntry? first = null, last = null;
        for (long i = 0; i < pairs; i++)
        {
            r.Read();
            string name = r.GetString() ?? "";
            r.Read();
            switch (name)
            {
                case "length": length = r.GetInt64(); break;
                case "radix-tree-keys": keys = r.GetInt64(); break;
                case "radix-tree-nodes": nodes = r.GetInt64(); break;
                case "groups": groups = r.GetInt64(); break;
                case "entries-added": added = r.GetInt64(); break;
                case "last-generated-id": lastId = r.GetString() ?? ""; break;
                case "max-deleted-entry-id": maxDeleted = r.GetString(); break;
                case "recorded-first-entry-id": recordedFirst = r.GetString(); break;
                case "first-entry": first = r.Type == RespType.Null ? null : ReadEntry(ref r, TextValue, out string id1, out var v1) ? new StreamEntry(id1, v1) : null; break;
                case "last-entry": last = r.Type == RespType.Null ? null : ReadEntry(ref r, TextValue, out string id2, out var v2) ? new StreamEntry(id2, v2) : null; break;
                default: r.SkipChildren(); break;
            }
        }
        return new StreamInfo
        {
            Length = length, RadixTreeKeys = keys, RadixTreeNodes = nodes, Groups = groups, EntriesAdded = added,
            LastGeneratedId = lastId, MaxDeletedEntryId = maxDeleted, RecordedFirstEntryId = recordedFirst,
            FirstEntry = first, LastEntry = last,
        };
    };

    public static readonly ReplyParser<StreamGroupInfo[]> Groups = static (ref RespReader r) =>
    {
        ReplyParsers.ExpectAggregate(ref r, "XINFO GROUPS");
        var result = new StreamGroupInfo[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            ReplyParsers.ExpectAggregate(ref r, "a group");
            long pairs = r.Length / 2;
            string name = "", lastDelivered = "";
            long consumers = 0, pending = 0;
            long? entriesRead = null, lag = null;
            for (long p = 0; p < pairs; p++)
            {
                r.Read();
                string field = r.GetString() ?? "";
                r.Read();
                switch (field)
                {
                    case "name": name = r.GetString() ?? ""; break;
                    case "consumers": consumers = r.GetInt64(); break;
                    case "pending": pending = r.GetInt64(); break;
                    case "last-delivered-id": lastDelivered = r.GetString() ?? ""; break;
                    case "entries-read": entriesRead = r.Type == RespType.Null ? null : r.GetInt64(); break;
                    case "lag": lag = r.Type == RespType.Null ? null : r.GetInt64(); break;
                    default: r.SkipChildren(); break;
                }
            }
            result[i] = new StreamGroupInfo(name, consumers, pending, lastDelivered, entriesRead, lag);
        }
        return result;
    };

    public static readonly ReplyParser<StreamConsumerInfo[]> Consumers = static (ref RespReader r) =>
    {
        ReplyParsers.ExpectAggregate(ref r, "XINFO CONSUMERS");
        var result = new StreamConsumerInfo[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            ReplyParsers.ExpectAggregate(ref r, "a consumer");
            long pairs = r.Length / 2;
            string name = "";
            long pending = 0, idle = 0;
            TimeSpan? inactive = null;
            for (long p = 0; p < pairs; p++)
            {
                r.Read();
                string field = r.GetString() ?? "";
                r.Read();
                switch (field)
                {
                    case "name": name = r.GetString() ?? ""; break;
                    case "pending": pending = r.GetInt64(); break;
                    case "idle": idle = r.GetInt64(); break;
                    case "inactive":
                        long ms = r.Type == RespType.Null ? -1 : r.GetInt64();
                        inactive = ms < 0 ? null : TimeSpan.FromMilliseconds(ms);
                        break;
                    default: r.SkipChildren(); break;
                }
            }
            result[i] = new StreamConsumerInfo(name, pending, TimeSpan.FromMilliseconds(idle), inactive);
        }
        return result;
    };

    /// <summary>The number of streams in an XREAD reply: map pairs (RESP3) or <c>[stream, entries]</c> elements (RESP2).</summary>
    private static long StreamCount(ref RespReader r)
    {
        ReplyParsers.ExpectAggregate(ref r, "an XREAD reply");
        return r.Type == RespType.Map ? r.Length / 2 : r.Length;
    }

    /// <summary>Moves to a stream's name (inside its <c>[stream, entries]</c> pair in RESP2) and reads it.</summary>
    private static RedisKey ReadStreamKey(ref RespReader r, out bool pair)
    {
        r.Read();
        pair = r.IsAggregate;
        if (pair)
        {
            if (r.Length != 2) throw new InvalidCastException("An XREAD stream is [name, entries].");
            r.Read();
        }
        return new RedisKey(r.GetBytes() ?? []);
    }

    private static StreamEntry[] ReadEntries(ref RespReader r)
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "stream entries");
        var result = new StreamEntry[r.Length];
        int n = 0;
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            if (ReadEntry(ref r, TextValue, out string id, out KeyValuePair<string, string>[] values)) result[n++] = new StreamEntry(id, values);
        }
        return n == result.Length ? result : result[..n];
    }

    private static StreamBytesEntry[] ReadBytesEntries(ref RespReader r)
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "stream entries");
        var result = new StreamBytesEntry[r.Length];
        int n = 0;
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            if (ReadEntry(ref r, BytesValue, out string id, out KeyValuePair<string, byte[]>[] values)) result[n++] = new StreamBytesEntry(id, values);
        }
        return n == result.Length ? result : result[..n];
    }

    /// <summary>One <c>[id, [field, value, …]]</c> on the current element; false for a nil entry (XCLAIM of a deleted one on old servers).</summary>
    private static bool ReadEntry<T>(ref RespReader r, ReplyParser<T> value, out string id, out KeyValuePair<string, T>[] values)
    {
        if (r.Type == RespType.Null)
        {
            id = "";
            values = [];
            return false;
        }
        ReplyParsers.ExpectAggregate(ref r, "a stream entry");
        if (r.Length != 2) throw new InvalidCastException($"A stream entry is [id, fields], not {r.Length} elements.");
        r.Read();
        id = r.GetString() ?? "";
        r.Read();
        if (r.Type == RespType.Null)
        {
            values = [];
            return true;
        }
        ReplyParsers.ExpectAggregate(ref r, "an entry's fields");
        long pairs = r.Length / 2;
        values = new KeyValuePair<string, T>[pairs];
        for (long i = 0; i < pairs; i++)
        {
            r.Read();
            string field = r.GetString() ?? "";
            r.Read();
            values[i] = new KeyValuePair<string, T>(field, value(ref r));
        }
        return true;
    }

    private static string[] ReadIds(ref RespReader r)
    {
        if (r.Type == RespType.Null) return [];
        ReplyParsers.ExpectAggregate(ref r, "an array of IDs");
        var result = new string[r.Length];
        for (int i = 0; i < result.Length; i++)
        {
            r.Read();
            result[i] = r.GetString() ?? "";
        }
        return result;
    }
}
