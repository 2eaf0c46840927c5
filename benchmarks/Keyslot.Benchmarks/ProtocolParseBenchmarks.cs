using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Keyslot.Protocol;

namespace Keyslot.Benchmarks;

/// <summary>Scanning and reading typical replies: GET, a 100-key MGET, and a 90-shard CLUSTER SHARDS.</summary>
[MemoryDiagnoser]
public class ProtocolParseBenchmarks
{
    private ReadOnlySequence<byte> _ok;
    private ReadOnlySequence<byte> _get;
    private ReadOnlySequence<byte> _mget;
    private ReadOnlySequence<byte> _shards;

    [GlobalSetup]
    public void Setup()
    {
        _ok = new("+OK\r\n"u8.ToArray());
        _get = new("$16\r\n0123456789abcdef\r\n"u8.ToArray());
        var mget = new StringBuilder("*100\r\n");
        for (int i = 0; i < 100; i++) mget.Append(i % 10 == 9 ? "$-1\r\n" : $"$16\r\nvalue-{i:D10}\r\n");
        _mget = new(Encoding.ASCII.GetBytes(mget.ToString()));
        _shards = new(ClusterShardsReply.Build(shards: 90, nodesPerShard: 6));
    }

    private static ReadOnlySequence<byte> Frame(in ReadOnlySequence<byte> buffer)
    {
        var state = default(RespScanState);
        if (!RespFrameScanner.TryScan(ref state, buffer, RespLimits.Default, out long length)) throw new InvalidOperationException("incomplete");
        return buffer.Slice(0, length);
    }

    /// <summary>"+OK": scan, read, compare.</summary>
    [Benchmark]
    public bool SimpleOk()
    {
        var r = new RespReader(Frame(_ok));
        r.Read();
        return r.ScalarEquals("OK"u8);
    }

    /// <summary>GET reply (16-byte bulk string) read as a span: the zero-allocation path.</summary>
    [Benchmark]
    public int GetReply_Span()
    {
        var r = new RespReader(Frame(_get));
        r.Read();
        return r.ScalarSpan.Length;
    }

    /// <summary>GET reply decoded to a string (allocates only the string).</summary>
    [Benchmark]
    public string? GetReply_String()
    {
        var r = new RespReader(Frame(_get));
        r.Read();
        return r.GetString();
    }

    /// <summary>100-element MGET reply: scan, then walk every element.</summary>
    [Benchmark]
    public long Mget100_ScanAndWalk()
    {
        var r = new RespReader(Frame(_mget));
        long bytes = 0;
        while (r.Read())
        {
            if (r.Type == RespType.BulkString) bytes += r.ScalarSpan.Length;
        }
        return bytes;
    }

    /// <summary>CLUSTER SHARDS for 90 shards × 6 nodes: scan, then materialize the whole tree.</summary>
    [Benchmark]
    public int ClusterShards_ScanAndReadValue()
    {
        var r = new RespReader(Frame(_shards));
        r.Read();
        return r.ReadValue().Count;
    }
}

/// <summary>Builds a realistic RESP3 CLUSTER SHARDS reply.</summary>
internal static class ClusterShardsReply
{
    public static byte[] Build(int shards, int nodesPerShard)
    {
        var sb = new StringBuilder();
        var rng = new Random(42);
        int slotsPerShard = 16384 / shards;
        sb.Append('*').Append(shards).Append("\r\n");
        for (int s = 0; s < shards; s++)
        {
            int start = s * slotsPerShard;
            int end = s == shards - 1 ? 16383 : start + slotsPerShard - 1;
            sb.Append("%2\r\n");
            Bulk(sb, "slots");
            sb.Append("*2\r\n:").Append(start).Append("\r\n:").Append(end).Append("\r\n");
            Bulk(sb, "nodes");
            sb.Append('*').Append(nodesPerShard).Append("\r\n");
            for (int n = 0; n < nodesPerShard; n++)
            {
                string ip = $"10.0.{s}.{n + 10}";
                sb.Append("%8\r\n");
                Bulk(sb, "id"); Bulk(sb, Convert.ToHexStringLower(RandomBytes(rng, 20)));
                Bulk(sb, "port"); sb.Append(':').Append(6379).Append("\r\n");
                Bulk(sb, "ip"); Bulk(sb, ip);
                Bulk(sb, "endpoint"); Bulk(sb, ip);
                Bulk(sb, "hostname"); Bulk(sb, $"redis-{s}-{n}.cache.internal");
                Bulk(sb, "role"); Bulk(sb, n == 0 ? "master" : "replica");
                Bulk(sb, "replication-offset"); sb.Append(':').Append(rng.NextInt64(1_000_000, 9_000_000_000)).Append("\r\n");
                Bulk(sb, "health"); Bulk(sb, "online");
            }
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    private static void Bulk(StringBuilder sb, string s) => sb.Append('$').Append(Encoding.UTF8.GetByteCount(s)).Append("\r\n").Append(s).Append("\r\n");
}
