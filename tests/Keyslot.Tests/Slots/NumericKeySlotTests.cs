using Keyslot.Routing;
using Keyslot.Slots;

namespace Keyslot.Tests.Slots;

/// <summary>A number passed as a key is hashed in the exact bytes the writer sends, so it routes where the server stores it.</summary>
public sealed class NumericKeySlotTests
{
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(12345L, "12345")]
    [InlineData(-7L, "-7")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    public void Integers_hash_as_their_decimal_text(long value, string wire) =>
        Assert.Equal(HashSlot.Of(System.Text.Encoding.ASCII.GetBytes(wire)), KeySlot.Of(RedisArgument.FromInt64(value)));

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(1e300, "1E+300")]
    public void Doubles_hash_as_the_writer_formats_them(double value, string wire) =>
        Assert.Equal(HashSlot.Of(System.Text.Encoding.ASCII.GetBytes(wire)), KeySlot.Of(RedisArgument.FromDouble(value)));
}
