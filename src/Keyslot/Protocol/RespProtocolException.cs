using Keyslot.Protocol;

namespace Keyslot;

/// <summary>
/// The byte stream is not valid RESP, or exceeds the configured <see cref="RespLimits"/>. The connection that
/// produced it cannot be resynchronised and must be closed.
/// </summary>
public sealed class RespProtocolException : RedisException
{
    /// <summary>Creates an exception for a protocol violation at <paramref name="offset"/>.</summary>
    public RespProtocolException(long offset, string message)
        : base($"RESP protocol error at offset {offset}: {message}")
    {
        Offset = offset;
    }

    private RespProtocolException(string message, RespProtocolException cause) : base(message, cause)
    {
        Offset = cause.Offset;
    }

    /// <summary>
    /// This error as the caller of <paramref name="command"/> sees it: which node broke the protocol while which
    /// command awaited its reply (the connection was closed, so the command's outcome is unknown).
    /// </summary>
    internal RespProtocolException While(string command, string node) =>
        new($"{node} sent a reply that is not valid RESP while {command} awaited its reply, so the connection was closed: {Message}", this);

    /// <summary>Byte offset of the offending byte, counted from the start of the frame (the start of the buffer given to the scanner).</summary>
    public long Offset { get; }

    /// <summary>Creates an exception saying what was expected and what was found instead.</summary>
    internal static RespProtocolException Expected(long offset, string expected, string found)
        => new(offset, $"expected {expected}, found {found}");

    /// <summary>Creates an exception saying what was expected and which byte was found instead.</summary>
    internal static RespProtocolException Expected(long offset, string expected, byte found)
        => new(offset, $"expected {expected}, found {Describe(found)}");

    /// <summary>A readable name for a byte: the character when printable ASCII, otherwise its hex value.</summary>
    internal static string Describe(byte b)
        => b is >= 0x21 and < 0x7F ? $"'{(char)b}'" : $"0x{b:X2}";
}
