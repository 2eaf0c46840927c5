using System.Buffers;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

/// <summary>The hot paths allocate nothing: writing a command, and scanning + reading simple replies.</summary>
public class AllocationTests
{
    private static readonly byte[] Value16 = "0123456789abcdef"u8.ToArray();

    private static void WriteSet(ArrayBufferWriter<byte> buffer)
    {
        RespWriter.WriteArrayHeader(buffer, 5);
        RespWriter.WriteBulkString(buffer, "SET".AsSpan());
        RespWriter.WriteBulkString(buffer, "user:{1000}:name".AsSpan());
        RespWriter.WriteBulkString(buffer, Value16);
        RespWriter.WriteBulkString(buffer, "EX"u8);
        RespWriter.WriteBulkString(buffer, 1200L);
        RespWriter.WriteBulkString(buffer, 2.5);
    }

    [Fact]
    public void Writing_a_command_allocates_nothing()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        for (int i = 0; i < 1000; i++)
        {
            WriteSet(buffer);
            buffer.ResetWrittenCount();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            WriteSet(buffer);
            buffer.ResetWrittenCount();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        WriteSet(buffer);
        Assert.StartsWith("*5\r\n$3\r\nSET\r\n", System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    private static long ParseReplies(ReadOnlySequence<byte> ok, ReadOnlySequence<byte> one, ReadOnlySequence<byte> bar, ReadOnlySequence<byte> barSplit)
    {
        long checksum = 0;
        var state = default(RespScanState);

        if (!RespFrameScanner.TryScan(ref state, ok, RespLimits.Default, out long length)) return -1;
        var r = new RespReader(ok.Slice(0, length));
        r.Read();
        if (r.ScalarEquals("OK"u8)) checksum += 1;

        if (!RespFrameScanner.TryScan(ref state, one, RespLimits.Default, out length)) return -1;
        r = new RespReader(one.Slice(0, length));
        r.Read();
        checksum += r.GetInt64();

        if (!RespFrameScanner.TryScan(ref state, bar, RespLimits.Default, out length)) return -1;
        r = new RespReader(bar.Slice(0, length));
        r.Read();
        checksum += r.ScalarSpan.Length + (r.ScalarEquals("bar"u8) ? 1 : 0);

        if (!RespFrameScanner.TryScan(ref state, barSplit, RespLimits.Default, out length)) return -1;
        r = new RespReader(barSplit.Slice(0, length));
        r.Read();
        checksum += r.ScalarSequence.Length + (r.ScalarEquals("bar"u8) ? 1 : 0);
        return checksum;
    }

    [Fact]
    public void Scanning_and_reading_simple_replies_allocates_nothing()
    {
        var ok = new ReadOnlySequence<byte>("+OK\r\n"u8.ToArray());
        var one = new ReadOnlySequence<byte>(":1\r\n"u8.ToArray());
        var bar = new ReadOnlySequence<byte>("$3\r\nbar\r\n"u8.ToArray());
        var barSplit = Sequences.Split("$3\r\nbar\r\n"u8.ToArray(), 5);
        for (int i = 0; i < 1000; i++) Assert.Equal(10, ParseReplies(ok, one, bar, barSplit));

        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int i = 0; i < 1000; i++) sum += ParseReplies(ok, one, bar, barSplit);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(10_000, sum);
    }

    [Fact]
    public void Scanning_an_array_reply_allocates_nothing()
    {
        var mget = new ReadOnlySequence<byte>("*3\r\n$1\r\na\r\n$-1\r\n*2\r\n:1\r\n:2\r\n"u8.ToArray());
        static long Walk(ReadOnlySequence<byte> buffer)
        {
            var state = default(RespScanState);
            RespFrameScanner.TryScan(ref state, buffer, RespLimits.Default, out long length);
            var r = new RespReader(buffer.Slice(0, length));
            long n = 0;
            while (r.Read()) n++;
            return n;
        }
        for (int i = 0; i < 1000; i++) Walk(mget);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long total = 0;
        for (int i = 0; i < 1000; i++) total += Walk(mget);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(6000, total);
    }
}
