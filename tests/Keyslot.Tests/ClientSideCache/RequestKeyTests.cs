using System.Buffers;
using System.Text;
using Keyslot.ClientSideCache;
using Keyslot.Protocol;

namespace Keyslot.Tests.ClientSideCache;

/// <summary>The key of a cacheable request, read back from the request as written on the wire.</summary>
public class RequestKeyTests
{
    private static byte[] Wire(RespCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>();
        command.WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void The_key_is_the_second_bulk_string_whatever_follows_it()
    {
        Assert.Equal("user:{42}"u8.ToArray(), RequestKey.Slice(Wire(RespCommand.Create("GET", "user:{42}"))).ToArray());
        Assert.Equal("h"u8.ToArray(), RequestKey.Slice(Wire(RespCommand.Create("HMGET", "h", "f1", "f2"))).ToArray());
        string longKey = new('k', 12_345);
        Assert.Equal(Encoding.ASCII.GetBytes(longKey), RequestKey.Slice(Wire(RespCommand.Create("STRLEN", longKey))).ToArray());
    }

    [Fact]
    public void Binary_keys_come_back_byte_for_byte()
    {
        byte[] key = [0x00, 0x0D, 0x0A, (byte)'$', 0xFF];
        Assert.Equal(key, RequestKey.Slice(Wire(RespCommand.Create("GET", (RedisKey)key))).ToArray());
        Assert.Empty(RequestKey.Slice(Wire(RespCommand.Create("GET", (RedisKey)Array.Empty<byte>()))).ToArray());
    }
}
