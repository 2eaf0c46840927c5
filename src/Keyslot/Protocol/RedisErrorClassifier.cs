using System.Buffers.Text;
using System.Text;

namespace Keyslot.Protocol;

/// <summary>Classifies error replies by their first word and parses cluster redirects, without regex or splitting.</summary>
internal static class RedisErrorClassifier
{
    /// <summary>Classifies an error message given without the leading '-' or '!', e.g. "MOVED 3999 127.0.0.1:6381".</summary>
    public static RedisErrorKind Classify(ReadOnlySpan<byte> message)
    {
        // The error code is the first word, matched exactly so BUSYKEY/BUSYGROUP are not mistaken for BUSY.
        int space = message.IndexOf((byte)' ');
        ReadOnlySpan<byte> code = space < 0 ? message : message[..space];
        switch (code.Length)
        {
            case 3:
                if (code.SequenceEqual("ASK"u8)) return RedisErrorKind.Ask;
                if (code.SequenceEqual("ERR"u8) && message[3..].StartsWith(" unknown command"u8)) return RedisErrorKind.UnknownCommand;
                break;
            case 4:
                if (code.SequenceEqual("BUSY"u8)) return RedisErrorKind.Busy;
                break;
            case 5:
                if (code.SequenceEqual("MOVED"u8)) return RedisErrorKind.Moved;
                break;
            case 6:
                if (code.SequenceEqual("NOAUTH"u8)) return RedisErrorKind.NoAuth;
                if (code.SequenceEqual("NOPERM"u8)) return RedisErrorKind.NoPerm;
                break;
            case 7:
                if (code.SequenceEqual("LOADING"u8)) return RedisErrorKind.Loading;
                break;
            case 8:
                if (code.SequenceEqual("TRYAGAIN"u8)) return RedisErrorKind.TryAgain;
                if (code.SequenceEqual("NOSCRIPT"u8)) return RedisErrorKind.NoScript;
                if (code.SequenceEqual("READONLY"u8)) return RedisErrorKind.ReadOnly;
                break;
            case 9:
                if (code.SequenceEqual("CROSSSLOT"u8)) return RedisErrorKind.CrossSlot;
                if (code.SequenceEqual("WRONGTYPE"u8)) return RedisErrorKind.WrongType;
                if (code.SequenceEqual("WRONGPASS"u8)) return RedisErrorKind.WrongPass;
                if (code.SequenceEqual("EXECABORT"u8)) return RedisErrorKind.ExecAbort;
                break;
            case 10:
                if (code.SequenceEqual("MASTERDOWN"u8)) return RedisErrorKind.MasterDown;
                break;
            case 11:
                if (code.SequenceEqual("CLUSTERDOWN"u8)) return RedisErrorKind.ClusterDown;
                break;
        }
        return RedisErrorKind.Other;
    }

    /// <summary>
    /// True for the refusal of a CLUSTER command (or READONLY) by a server without cluster mode: "ERR This instance
    /// has cluster support disabled".
    /// </summary>
    public static bool IsClusterSupportDisabled(string message) => message.Contains("cluster support disabled", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses "MOVED|ASK &lt;slot&gt; &lt;host&gt;:&lt;port&gt;". The port follows the last ':' so bare IPv6 hosts work;
    /// "[v6]" brackets are removed; the host may be empty (same host as the replying node) or "?" (unknown).
    /// </summary>
    public static bool TryParseRedirect(ReadOnlySpan<byte> message, out Redirect redirect)
    {
        redirect = default;
        RedirectKind kind;
        if (message.StartsWith("MOVED "u8)) { kind = RedirectKind.Moved; message = message[6..]; }
        else if (message.StartsWith("ASK "u8)) { kind = RedirectKind.Ask; message = message[4..]; }
        else return false;

        int space = message.IndexOf((byte)' ');
        if (space <= 0) return false;
        if (!TryParseDigits(message[..space], HashSlotCount - 1, out int slot)) return false;

        ReadOnlySpan<byte> endpoint = message[(space + 1)..];
        int colon = endpoint.LastIndexOf((byte)':');
        if (colon < 0) return false;
        if (!TryParseDigits(endpoint[(colon + 1)..], 65535, out int port)) return false;

        ReadOnlySpan<byte> host = endpoint[..colon];
        if (host.Length >= 2 && host[0] == '[' && host[^1] == ']') host = host[1..^1];
        if (host.IndexOfAny((byte)' ', (byte)'[', (byte)']') >= 0) return false;

        redirect = new Redirect(kind, slot, host.IsEmpty ? string.Empty : Encoding.UTF8.GetString(host), port);
        return true;
    }

    // Kept local so this folder does not depend on the slot code.
    private const int HashSlotCount = 16384;

    // Plain decimal digits only (no sign, no spaces), at most `max`.
    private static bool TryParseDigits(ReadOnlySpan<byte> text, int max, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 10 || (uint)(text[0] - '0') > 9) return false;
        return Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length && value >= 0 && value <= max;
    }
}
