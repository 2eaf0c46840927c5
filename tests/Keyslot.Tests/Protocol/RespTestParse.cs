using System.Buffers;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

/// <summary>Scanner + reader round trips used across the protocol tests.</summary>
internal static class RespTestParse
{
    /// <summary>Scans one frame (asserting it is complete) and materializes it.</summary>
    public static RespValue ParseOne(ReadOnlySequence<byte> buffer, out long frameLength, RespLimits? limits = null)
    {
        var state = default(RespScanState);
        Assert.True(RespFrameScanner.TryScan(ref state, buffer, limits ?? RespLimits.Default, out frameLength), "frame should be complete");
        return Materialize(buffer.Slice(0, frameLength));
    }

    /// <summary>Reads the single top-level value of a complete frame and checks nothing follows it.</summary>
    public static RespValue Materialize(ReadOnlySequence<byte> frame)
    {
        var reader = new RespReader(frame);
        Assert.True(reader.Read());
        RespValue value = reader.ReadValue();
        Assert.False(reader.Read());
        return value;
    }

    /// <summary>Feeds growing prefixes: "need more" until the last byte, then exactly the frame length.</summary>
    public static void AssertIncremental(byte[] data, int step = 1)
    {
        var state = default(RespScanState);
        for (int n = 0; n < data.Length; n += step)
        {
            // Build each prefix from fresh segments to prove the state does not depend on segment identity.
            ReadOnlySequence<byte> prefix = Sequences.Split(data[..n], n / 2);
            Assert.False(RespFrameScanner.TryScan(ref state, prefix, RespLimits.Default, out _), $"prefix of {n} bytes should be incomplete");
        }
        Assert.True(RespFrameScanner.TryScan(ref state, Sequences.Split(data, data.Length / 2), RespLimits.Default, out long length));
        Assert.Equal(data.Length, length);
        Assert.Equal(default(RespScanState).Consumed, state.Consumed);
        Assert.Equal(0, state.Depth);
    }
}
