using System.Buffers;
using System.Globalization;
using System.Text;
using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>An error reply, classified once when it arrives. Allocated only on the error path.</summary>
internal sealed class ServerError
{
    private ServerError(RedisErrorKind kind, string message, Redirect? redirect)
    {
        Kind = kind;
        Message = message;
        Redirect = redirect;
    }

    public RedisErrorKind Kind { get; }

    /// <summary>The error text without the leading '-' or '!'.</summary>
    public string Message { get; }

    /// <summary>Where MOVED or ASK points, when the reply is one of those.</summary>
    public Redirect? Redirect { get; }

    /// <summary>
    /// How much of an error's text is kept. Real errors are a line; a node that sends megabytes of "error" must not
    /// cost megabytes per command that gets it (the classification and a redirect need only the start).
    /// </summary>
    public const int MaxMessageBytes = 4096;

    /// <summary>Reads the error the reader is positioned on, copying at most <see cref="MaxMessageBytes"/> of it.</summary>
    public static ServerError Read(ref RespReader reader)
    {
        if (reader.IsScalarSingleSegment) return FromText(reader.ScalarSpan);
        ReadOnlySequence<byte> text = reader.ScalarSequence;
        Span<byte> kept = stackalloc byte[MaxMessageBytes];
        int length = (int)Math.Min(text.Length, MaxMessageBytes);
        text.Slice(0, length).CopyTo(kept);
        return FromText(kept[..length], text.Length);
    }

    public static ServerError FromText(ReadOnlySpan<byte> text) => FromText(text, text.Length);

    private static ServerError FromText(ReadOnlySpan<byte> text, long totalLength)
    {
        if (text.Length > MaxMessageBytes) text = text[..MaxMessageBytes];
        RedisErrorKind kind = RedisErrorClassifier.Classify(text);
        Redirect? redirect = null;
        if ((kind == RedisErrorKind.Moved || kind == RedisErrorKind.Ask) && RedisErrorClassifier.TryParseRedirect(text, out Redirect r))
        {
            redirect = r;
        }
        string message = Encoding.UTF8.GetString(text);
        if (totalLength > text.Length) message += $"… (cut: the error was {totalLength.ToString("N0", CultureInfo.InvariantCulture)} bytes)";
        return new ServerError(kind, message, redirect);
    }

    public override string ToString() => Message;
}
