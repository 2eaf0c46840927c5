using System.Buffers;
using System.Text;
using Keyslot.Protocol;
using Keyslot.Routing;
using Keyslot.Slots;

namespace Keyslot.Tests.Routing;

public sealed class CommandBuilderTests
{
    private static string Encode(RespCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>();
        command.WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_command_is_written_as_an_array_of_bulk_strings_of_every_argument_kind()
    {
        RespCommand command = RespCommand.Create("SET", ["clé", new byte[] { 1, 2 }, 42L, 1.5]);
        Assert.Equal("*5\r\n$3\r\nSET\r\n$4\r\nclé\r\n$2\r\n\u0001\u0002\r\n$2\r\n42\r\n$3\r\n1.5\r\n", Encode(command));
    }

    [Fact]
    public void More_arguments_than_fit_inline_are_all_written()
    {
        RedisArgument[] args = [.. Enumerable.Range(0, 20).Select(i => RedisArgument.FromInt64(i))];
        RespCommand command = RespCommand.Create("DEL", args);
        Assert.Equal(20, command.Count);
        Assert.StartsWith("*21\r\n$3\r\nDEL\r\n$1\r\n0\r\n", Encode(command), StringComparison.Ordinal);
        Assert.EndsWith("$2\r\n19\r\n", Encode(command), StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_argument_is_refused_naming_its_position_before_anything_can_be_written()
    {
        // Refused when the command is made, so no half-written command can ever reach a shared connection.
        var error = Assert.Throws<ArgumentException>(() => RespCommand.Create("SET", "k", default(RedisArgument)));
        Assert.Contains("Argument 2 of SET", error.Message, StringComparison.Ordinal);
        var many = Assert.Throws<ArgumentException>(() => RespCommand.Create("MSET", ["a", "1", "b", "2", "c", "3", "d", "4", "e", default(RedisArgument)]));
        Assert.Contains("Argument 10 of MSET", many.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_builder_tracks_the_slot_and_refuses_keys_in_two_slots()
    {
        ArgumentScratch scratch = default;
        var same = new CommandBuilder(scratch);
        for (int i = 0; i < 40; i++) same.AddKey("{tag}" + i); // more than the scratch space: spills to an array
        Assert.Equal(HashSlot.Of("tag"), same.Slot);
        Assert.Equal(40, same.Build("DEL").Count);

        ArgumentScratch scratch2 = default;
        var mixed = new CommandBuilder(scratch2);
        mixed.AddKey("a");
        mixed.AddKey("b");
        try
        {
            mixed.Build("DEL");
            Assert.Fail("keys in two slots were accepted");
        }
        catch (RedisCrossSlotException error)
        {
            Assert.Equal(HashSlot.Of("a"), error.FirstSlot);
            Assert.Equal(HashSlot.Of("b"), error.OtherSlot);
        }
    }
}
