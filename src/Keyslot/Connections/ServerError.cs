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

    /// <summary>Reads the error the reader is positioned on.</summary>
    public static ServerError Read(ref RespReader reader)
    {
        ReadOnlySpan<byte> text = reader.IsScalarSingleSegment ? reader.ScalarSpan : reader.GetBytes();
        return FromText(text);
    }

    public static ServerError FromText(ReadOnlySpan<byte> text)
    {
        RedisErrorKind kind = RedisErrorClassifier.Classify(text);
        Redirect? redirect = null;
        if ((kind == RedisErrorKind.Moved || kind == RedisErrorKind.Ask) && RedisErrorClassifier.TryParseRedirect(text, out Redirect r))
        {
            redirect = r;
        }
        return new ServerError(kind, Encoding.UTF8.GetString(text), redirect);
    }

    public override string ToString() => Message;
}
