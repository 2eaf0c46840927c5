using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

/// <summary>The bitmap commands whose arguments take more than a line to build, checked as they are built.</summary>
internal static class BitmapCommands
{
    /// <summary><c>BITCOUNT key [start end [BYTE|BIT]]</c>: the whole string for 0, -1 in bytes.</summary>
    public static RespCommand BitCount(RedisKey key, long start, long end, StringIndexType indexType)
    {
        CheckIndexType(indexType);
        if (indexType == StringIndexType.Byte)
        {
            return start == 0 && end == -1 ? RespCommand.Create("BITCOUNT", key) : RespCommand.Create("BITCOUNT", key, start, end);
        }
        return RespCommand.Create("BITCOUNT", [key, start, end, "BIT"]);
    }

    /// <summary><c>BITPOS key bit [start [end [BYTE|BIT]]]</c>.</summary>
    public static RespCommand BitPosition(RedisKey key, bool bit, long start, long? end, StringIndexType indexType)
    {
        CheckIndexType(indexType);
        long value = bit ? 1 : 0;
        if (indexType == StringIndexType.Bit)
        {
            if (end is not { } last) throw new ArgumentException("BITPOS in bits needs an end (-1 for the last bit).", nameof(end));
            return RespCommand.Create("BITPOS", [key, value, start, last, "BIT"]);
        }
        if (end is { } e) return RespCommand.Create("BITPOS", [key, value, start, e]);
        return start == 0 ? RespCommand.Create("BITPOS", key, value) : RespCommand.Create("BITPOS", key, value, start);
    }

    /// <summary><c>BITOP op destination key…</c>; destination and keys must share a slot.</summary>
    public static RespCommand BitOperation(Bitwise operation, RedisKey destination, RedisKey[] keys, out int slot)
    {
        ArgumentNullException.ThrowIfNull(keys);
        string op = operation switch
        {
            Bitwise.And => "AND",
            Bitwise.Or => "OR",
            Bitwise.Xor => "XOR",
            Bitwise.Not => "NOT",
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "AND, OR, XOR or NOT."),
        };
        if (keys.Length == 0) throw new ArgumentException("BITOP needs at least one source key.", nameof(keys));
        if (operation == Bitwise.Not && keys.Length != 1) throw new ArgumentException("BITOP NOT takes exactly one source key.", nameof(keys));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(op);
        builder.AddKey(destination);
        foreach (RedisKey key in keys) builder.AddKey(key);
        RespCommand command = builder.Build("BITOP");
        slot = builder.Slot;
        return command;
    }

    /// <summary><c>BITFIELD key op…</c> or, for <paramref name="readOnly"/>, <c>BITFIELD_RO key GET…</c>.</summary>
    public static RespCommand BitField(RedisKey key, BitFieldOperation[] operations, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Length == 0) throw new ArgumentException("BITFIELD needs at least one operation.", nameof(operations));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        foreach (BitFieldOperation operation in operations)
        {
            if (readOnly && operation.Kind != BitFieldOperationKind.Get) throw new ArgumentException("BITFIELD_RO takes GET operations only.", nameof(operations));
            switch (operation.Kind)
            {
                case BitFieldOperationKind.Get:
                    builder.Add("GET");
                    AddField(ref builder, operation);
                    break;
                case BitFieldOperationKind.Set:
                    builder.Add("SET");
                    AddField(ref builder, operation);
                    builder.Add(operation.Value);
                    break;
                case BitFieldOperationKind.Increment:
                    builder.Add("INCRBY");
                    AddField(ref builder, operation);
                    builder.Add(operation.Value);
                    break;
                case BitFieldOperationKind.Overflow:
                    builder.Add("OVERFLOW");
                    builder.Add(operation.OverflowBehavior switch
                    {
                        BitFieldOverflow.Wrap => "WRAP",
                        BitFieldOverflow.Saturate => "SAT",
                        _ => "FAIL",
                    });
                    break;
                default:
                    throw new ArgumentException("Make BITFIELD operations with BitFieldOperation.Get/Set/Increment/Overflow.", nameof(operations));
            }
        }
        return builder.Build(readOnly ? "BITFIELD_RO" : "BITFIELD");
    }

    private static void AddField(ref CommandBuilder builder, in BitFieldOperation operation)
    {
        builder.Add(operation.Encoding!);
        if (operation.OffsetInWidths) builder.Add("#" + operation.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        else builder.Add(operation.Offset);
    }

    private static void CheckIndexType(StringIndexType indexType)
    {
        if (indexType is not (StringIndexType.Byte or StringIndexType.Bit)) throw new ArgumentOutOfRangeException(nameof(indexType), indexType, "Byte or Bit.");
    }
}
