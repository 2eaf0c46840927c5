using System.Globalization;
using System.Text;
using Keyslot.Protocol;

namespace Keyslot.Tests.Protocol;

/// <summary>
/// A deliberately simple, independent RESP3 encoder for tests. With a Random it varies the encoding:
/// streamed strings/aggregates and RESP2 nulls, so the parser sees every wire form of the same value.
/// </summary>
internal static class TestEncoder
{
    public static byte[] Encode(RespValue value, Random? variety = null)
    {
        var ms = new MemoryStream();
        Write(ms, value, variety);
        return ms.ToArray();
    }

    private static void Write(MemoryStream ms, RespValue v, Random? rng)
    {
        if (v.Attributes is { } attrs)
        {
            WriteText(ms, $"|{attrs.Count / 2}\r\n");
            foreach (RespValue e in attrs.AsSpan()) Write(ms, e, rng);
        }
        switch (v.Type)
        {
            case RespType.Null:
                WriteText(ms, rng?.Next(3) switch { 1 => "$-1\r\n", 2 => "*-1\r\n", _ => "_\r\n" });
                return;
            case RespType.SimpleString: Line(ms, '+', v.AsMemory().Span); return;
            case RespType.SimpleError: Line(ms, '-', v.AsMemory().Span); return;
            case RespType.BigNumber: Line(ms, '(', v.AsMemory().Span); return;
            case RespType.Integer: WriteText(ms, $":{v.AsInt64().ToString(CultureInfo.InvariantCulture)}\r\n"); return;
            case RespType.Boolean: WriteText(ms, v.AsBoolean() ? "#t\r\n" : "#f\r\n"); return;
            case RespType.Double: WriteText(ms, $",{v.AsString()}\r\n"); return;
            case RespType.BulkString:
                if (rng is not null && rng.Next(4) == 0) { Streamed(ms, v.AsMemory().Span, rng); return; }
                Blob(ms, '$', [], v.AsMemory().Span);
                return;
            case RespType.BulkError: Blob(ms, '!', [], v.AsMemory().Span); return;
            case RespType.VerbatimString: Blob(ms, '=', Encoding.ASCII.GetBytes(v.VerbatimFormat + ":"), v.AsMemory().Span); return;
            case RespType.Array:
            case RespType.Set:
            case RespType.Map:
            case RespType.Push:
            {
                char prefix = v.Type switch { RespType.Array => '*', RespType.Set => '~', RespType.Map => '%', _ => '>' };
                bool streamed = v.Type != RespType.Push && rng is not null && rng.Next(4) == 0;
                int count = v.Type == RespType.Map ? v.Count / 2 : v.Count;
                WriteText(ms, streamed ? $"{prefix}?\r\n" : $"{prefix}{count}\r\n");
                foreach (RespValue e in v.AsSpan()) Write(ms, e, rng);
                if (streamed) WriteText(ms, ".\r\n");
                return;
            }
            default:
                throw new ArgumentException($"Cannot encode {v.Type}");
        }
    }

    private static void Streamed(MemoryStream ms, ReadOnlySpan<byte> payload, Random rng)
    {
        WriteText(ms, "$?\r\n");
        while (!payload.IsEmpty)
        {
            int n = rng.Next(1, payload.Length + 1);
            WriteText(ms, $";{n}\r\n");
            ms.Write(payload[..n]);
            WriteText(ms, "\r\n");
            payload = payload[n..];
        }
        WriteText(ms, ";0\r\n");
    }

    private static void Line(MemoryStream ms, char prefix, ReadOnlySpan<byte> text)
    {
        ms.WriteByte((byte)prefix);
        ms.Write(text);
        WriteText(ms, "\r\n");
    }

    private static void Blob(MemoryStream ms, char prefix, ReadOnlySpan<byte> head, ReadOnlySpan<byte> payload)
    {
        WriteText(ms, $"{prefix}{head.Length + payload.Length}\r\n");
        ms.Write(head);
        ms.Write(payload);
        WriteText(ms, "\r\n");
    }

    private static void WriteText(MemoryStream ms, string s) => ms.Write(Encoding.UTF8.GetBytes(s));
}
