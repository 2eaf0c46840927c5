using System.Text;

namespace Keyslot.Testing.Internal;

/// <summary>The kind of a RESP2 reply.</summary>
internal enum RespKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
}

/// <summary>One parsed RESP2 reply (recursive for arrays).</summary>
internal sealed class RespReply
{
    private RespReply(RespKind kind, string? text, long integer, byte[]? bytes, RespReply[]? items)
    {
        Kind = kind;
        Text = text;
        Integer = integer;
        Bytes = bytes;
        Items = items;
    }

    public RespKind Kind { get; }

    /// <summary>Text of a simple string or an error.</summary>
    public string? Text { get; }

    public long Integer { get; }

    /// <summary>Raw bytes of a bulk string.</summary>
    public byte[]? Bytes { get; }

    public RespReply[]? Items { get; }

    public bool IsError => Kind == RespKind.Error;

    public static RespReply Simple(string text) => new(RespKind.SimpleString, text, 0, null, null);

    public static RespReply Error(string text) => new(RespKind.Error, text, 0, null, null);

    public static RespReply Int(long value) => new(RespKind.Integer, null, value, null, null);

    public static RespReply Bulk(byte[] bytes) => new(RespKind.BulkString, null, 0, bytes, null);

    public static RespReply Array(RespReply[] items) => new(RespKind.Array, null, 0, null, items);

    public static RespReply Null { get; } = new(RespKind.Null, null, 0, null, null);

    /// <summary>Renders the reply as text: arrays are flattened and newline-joined, nil is empty.</summary>
    public string ToText()
    {
        switch (Kind)
        {
            case RespKind.SimpleString:
            case RespKind.Error:
                return Text!;
            case RespKind.Integer:
                return Integer.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case RespKind.BulkString:
                return Encoding.UTF8.GetString(Bytes!);
            case RespKind.Array:
                return string.Join('\n', Items!.Select(i => i.ToText()));
            default:
                return string.Empty;
        }
    }
}
