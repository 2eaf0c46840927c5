using System.Buffers;
using BenchmarkDotNet.Attributes;
using Keyslot.Protocol;

namespace Keyslot.Benchmarks;

/// <summary>Encoding a SET command straight into a reused buffer writer.</summary>
[MemoryDiagnoser]
public class ProtocolWriteBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly byte[] _value = "0123456789abcdef"u8.ToArray();

    /// <summary>SET user:{1000}:session &lt;16 bytes&gt; EX 1200.</summary>
    [Benchmark]
    public int WriteSetCommand()
    {
        _buffer.ResetWrittenCount();
        RespWriter.WriteArrayHeader(_buffer, 5);
        RespWriter.WriteBulkString(_buffer, "SET"u8);
        RespWriter.WriteBulkString(_buffer, "user:{1000}:session".AsSpan());
        RespWriter.WriteBulkString(_buffer, _value);
        RespWriter.WriteBulkString(_buffer, "EX"u8);
        RespWriter.WriteBulkString(_buffer, 1200L);
        return _buffer.WrittenCount;
    }
}
