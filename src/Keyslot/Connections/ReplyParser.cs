using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// Turns one complete reply frame into a result. Runs on the connection's read loop, so it must be quick and must not block.
/// The reader is positioned on the reply's first element (error replies never reach a parser).
/// Parsers are cached static delegates: choosing one costs no allocation.
/// </summary>
internal delegate T ReplyParser<T>(ref RespReader reader);

/// <summary>The parser of a whole reply as a <see cref="RespValue"/>: the one every layer uses for untyped replies.</summary>
internal static class WholeReply
{
    public static readonly ReplyParser<RespValue> Parser = static (ref RespReader r) => r.ReadValue();
}
