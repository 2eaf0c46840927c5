using System.Buffers;
using System.Text;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

/// <summary>
/// A length prefix is a claim, not a fact: a huge declared length followed by a few bytes must not make the
/// scanner or the reader allocate memory sized from the claim before the bytes arrive.
/// </summary>
public class HostileLengthTests
{
    // Generous: exceptions with their message and stack trace cost a few KiB; a sized allocation costs MiB–GiB.
    private const long AllocationBudget = 64 * 1024;

    // Each declared length is within the default limits, so only "need more data" protects the scanner.
    public static TheoryData<string> HugeDeclaredLengths() => new()
    {
        "*67108864\r\n:1\r\n",                        // 64 Mi elements (= MaxAggregateLength), one present
        "$67108864\r\nabc",                            // 64 MiB bulk string (= MaxBulkLength), 3 bytes present
        "%33554432\r\n",                               // 32 Mi pairs, none present
        "~?\r\n",                                      // streamed set with no end in sight
        "~?\r\n:1\r\n:2\r\n",
        "*?\r\n$67108864\r\nab",                       // streamed array holding a huge bulk string
        "!67108864\r\nERR",                            // bulk error
        "=67108864\r\ntxt:abc",                        // verbatim string
        "$?\r\n;67108864\r\nabc",                      // one huge streamed-string chunk
        ">67108864\r\n+message\r\n",                   // push
        "|67108864\r\n+key\r\n",                       // attribute map
        "*67108864\r\n*67108864\r\n*67108864\r\n:1\r\n", // nested claims
    };

    private static ReadOnlySequence<byte> Bytes(string wire) => new(Encoding.ASCII.GetBytes(wire));

    private static long AllocatedBy(Action action)
    {
        action(); // warm up: first-call costs (JIT, static init, resource strings) are not the input's fault
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Theory]
    [MemberData(nameof(HugeDeclaredLengths))]
    public void The_scanner_waits_for_more_data_without_allocating_for_the_claim(string wire)
    {
        ReadOnlySequence<byte> buffer = Bytes(wire);
        bool complete = true;
        long consumed = -1;
        long allocated = AllocatedBy(() =>
        {
            var state = default(RespScanState);
            complete = RespFrameScanner.TryScan(ref state, buffer, RespLimits.Default, out _);
            consumed = state.Consumed;
        });
        Assert.False(complete); // the contract for a truncated frame: "need more data", not an error
        Assert.InRange(consumed, 0, buffer.Length); // progress never runs past what arrived
        Assert.InRange(allocated, 0, AllocationBudget);
    }

    [Theory]
    [MemberData(nameof(HugeDeclaredLengths))]
    public void The_scanner_keeps_waiting_as_bytes_trickle_in(string wire)
    {
        // Resuming with a growing buffer (the same start, more bytes) must stay bounded too.
        byte[] data = [.. Encoding.ASCII.GetBytes(wire), .. Encoding.ASCII.GetBytes(":7\r\n+filler\r\n")];
        var state = default(RespScanState);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 1; n <= data.Length; n++)
        {
            Assert.False(RespFrameScanner.TryScan(ref state, new ReadOnlySequence<byte>(data, 0, n), RespLimits.Default, out _), $"prefix of {n} bytes");
        }
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, AllocationBudget);
    }

    [Theory]
    [MemberData(nameof(HugeDeclaredLengths))]
    public void The_reader_refuses_a_truncated_frame_without_allocating_for_the_claim(string wire)
    {
        // The reader expects one complete frame; given a truncated one it must throw, not trust the length.
        ReadOnlySequence<byte> frame = Bytes(wire);
        RespProtocolException? error = null;
        long allocated = AllocatedBy(() =>
        {
            try
            {
                var reader = new RespReader(frame);
                reader.Read();
                reader.ReadValue();
            }
            catch (RespProtocolException ex)
            {
                error = ex;
            }
        });
        Assert.NotNull(error);
        Assert.Contains("expected more bytes, found the end of the frame", error.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, AllocationBudget);
    }

    [Fact]
    public void A_bulk_length_above_MaxBulkLength_is_refused_naming_the_limit()
    {
        var limits = new RespLimits { MaxBulkLength = 1024 };
        foreach (string wire in new[] { "$1025\r\n", "!1025\r\n", "=1025\r\ntxt:", "*1\r\n$1025\r\nabc" })
        {
            var state = default(RespScanState);
            var error = Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, Bytes(wire), limits, out _));
            Assert.Contains("MaxBulkLength (1024)", error.Message, StringComparison.Ordinal);
            Assert.Contains("1025", error.Message, StringComparison.Ordinal);
            Assert.Equal(wire.IndexOf("1025", StringComparison.Ordinal), error.Offset); // points at the length itself
        }
        // The limit itself is allowed: the frame then waits for its bytes, or completes once they are there.
        var ok = default(RespScanState);
        Assert.False(RespFrameScanner.TryScan(ref ok, Bytes("$1024\r\n"), limits, out _));
        ok = default;
        Assert.True(RespFrameScanner.TryScan(ref ok, Bytes("$1024\r\n" + new string('x', 1024) + "\r\n"), limits, out long length));
        Assert.Equal(1024 + 9, length);
    }

    [Fact]
    public void The_default_limit_refuses_a_bulk_string_over_64_MiB_before_any_payload()
    {
        Assert.Equal(64L * 1024 * 1024, RespLimits.Default.MaxBulkLength);
        var state = default(RespScanState);
        var error = Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, Bytes("$67108865\r\n"), RespLimits.Default, out _));
        Assert.Contains("MaxBulkLength (67108864)", error.Message, StringComparison.Ordinal);
    }

    // A sequence of `count` segments that all show the same 1 MiB of 'x': a large buffer that costs no memory.
    private static ReadOnlySequence<byte> WithSharedPayload(string before, int mebibytes, string after)
        => Sequences.FromSharedParts(Encoding.ASCII.GetBytes(before), new string('x', 1 << 20), mebibytes, Encoding.ASCII.GetBytes(after));

    [Fact]
    public void A_frame_whose_declared_payload_passes_the_default_MaxFrameLength_fails_before_that_payload_arrives()
    {
        Assert.Equal(128L * 1024 * 1024, RespLimits.Default.MaxFrameLength);
        // One 64 MiB string has arrived; the second one's header takes the frame past 128 MiB: refused at once,
        // with 64 MiB buffered, not after waiting for (and buffering) the second payload.
        ReadOnlySequence<byte> buffer = WithSharedPayload("*3\r\n$67108864\r\n", 64, "\r\n$67108864\r\n");
        var state = default(RespScanState);
        var error = Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, buffer, RespLimits.Default, out _));
        Assert.Contains("MaxFrameLength (134217728 bytes)", error.Message, StringComparison.Ordinal);
        Assert.True(buffer.Length < RespLimits.Default.MaxFrameLength / 2 + 100);
    }

    [Fact]
    public void A_frame_of_small_elements_fails_once_what_is_buffered_passes_MaxFrameLength()
    {
        var limits = new RespLimits { MaxFrameLength = 1000 };
        string elements = string.Concat(Enumerable.Repeat(":1\r\n", 300)); // 1,200 bytes, never ended
        var state = default(RespScanState);
        Assert.False(RespFrameScanner.TryScan(ref state, Bytes("*?\r\n" + elements[..800]), limits, out _));
        var error = Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, Bytes("*?\r\n" + elements), limits, out _));
        Assert.Contains("MaxFrameLength (1000 bytes)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1000, error.Offset);

        // A complete frame over the limit is refused too; one at the limit is accepted.
        state = default;
        Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, Bytes("$1000\r\n" + new string('y', 1000) + "\r\n"), limits, out _));
        state = default;
        Assert.True(RespFrameScanner.TryScan(ref state, Bytes("$992\r\n" + new string('y', 992) + "\r\n"), limits, out long length));
        Assert.Equal(1000, length);
    }

    [Fact]
    public void A_configured_maxBulkLength_raises_the_frame_limit_with_it()
    {
        Assert.Same(RespLimits.Default, RespLimits.ForMaxBulkLength(RespLimits.DefaultMaxBulkLength));
        Assert.Equal(RespLimits.DefaultMaxFrameLength, RespLimits.ForMaxBulkLength(1024).MaxFrameLength);
        RespLimits large = RespLimits.ForMaxBulkLength(512L * 1024 * 1024);
        Assert.Equal(512L * 1024 * 1024, large.MaxBulkLength);
        Assert.Equal(1024L * 1024 * 1024, large.MaxFrameLength);
        Assert.Equal(int.MaxValue - 64, RespLimits.ForMaxBulkLength(int.MaxValue - 64).MaxFrameLength);
    }

    [Fact]
    public void Streamed_chunks_adding_up_past_MaxBulkLength_are_refused()
    {
        // Each chunk is small; only their total breaks the limit.
        var limits = new RespLimits { MaxBulkLength = 10 };
        var state = default(RespScanState);
        var error = Assert.Throws<RespProtocolException>(() =>
            RespFrameScanner.TryScan(ref state, Bytes("$?\r\n;6\r\nabcdef\r\n;6\r\nghijkl\r\n;0\r\n"), limits, out _));
        Assert.Contains("MaxBulkLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aggregate_length_above_MaxAggregateLength_is_refused_naming_the_limit()
    {
        var limits = new RespLimits { MaxAggregateLength = 100 };
        foreach (string wire in new[] { "*101\r\n", "%101\r\n", "~101\r\n", ">101\r\n", "|101\r\n" })
        {
            var state = default(RespScanState);
            var error = Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, Bytes(wire), limits, out _));
            Assert.Contains("MaxAggregateLength (100)", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, error.Offset);
        }
    }

    [Fact]
    public void A_length_that_overflows_64_bits_is_refused_not_wrapped()
    {
        foreach (string wire in new[] { "$99999999999999999999\r\n", "*99999999999999999999\r\n" })
        {
            var state = default(RespScanState);
            var error = Assert.Throws<RespProtocolException>(() => RespFrameScanner.TryScan(ref state, Bytes(wire), RespLimits.Default, out _));
            Assert.Contains("fits in 64 bits", error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Lengths at and near the edge of what a long holds, for every length-prefixed type.</summary>
    public static TheoryData<string> LengthsNearLongMax() => new()
    {
        "$9223372036854775807\r\nab", "$9223372036854775806\r\n", "$9223372036854775808\r\nab", "$-9223372036854775808\r\n",
        "*9223372036854775807\r\n:1\r\n", "%9223372036854775807\r\n", "%4611686018427387904\r\n+k\r\n", "~9223372036854775807\r\n",
        ">9223372036854775807\r\n", "|9223372036854775807\r\n+k\r\n", "!9223372036854775807\r\nERR", "=9223372036854775807\r\ntxt:",
        "$?\r\n;9223372036854775807\r\nab", "$?\r\n;9223372036854775806\r\n;9223372036854775806\r\n",
        "*?\r\n$9223372036854775807\r\n", ":9223372036854775808\r\n", "(99999999999999999999999999999999\r\n", ",1e400\r\n",
        "*1\r\n$9223372036854775807\r\nab", "*2\r\n*9223372036854775807\r\n",
    };

    [Theory]
    [MemberData(nameof(LengthsNearLongMax))]
    public void The_reader_on_its_own_throws_only_protocol_errors_for_lengths_near_long_max(string wire)
    {
        ReadOnlySequence<byte> buffer = Bytes(wire);
        Exception? thrown = Record.Exception(() =>
        {
            var reader = new RespReader(buffer);
            while (reader.Read()) { }
        });
        Assert.True(thrown is null or RespProtocolException, $"{thrown?.GetType().Name}: {thrown?.Message}");
        thrown = Record.Exception(() =>
        {
            var reader = new RespReader(buffer);
            reader.Read();
            reader.ReadValue();
        });
        Assert.True(thrown is null or RespProtocolException, $"{thrown?.GetType().Name}: {thrown?.Message}");
    }
}
