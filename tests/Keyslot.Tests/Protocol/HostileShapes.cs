using System.Text;

namespace Keyslot.Tests.Protocol;

/// <summary>
/// The hostile shapes whose parsing cost must stay linear (issue 16), built once for the tests that count the work
/// and for the benchmark that times it (linked into benchmarks/Keyslot.Benchmarks).
/// </summary>
internal static class HostileShapes
{
    /// <summary><c>*?</c> nested <paramref name="depth"/> deep, each level "[:1, next level, :2]", ended by '.'.</summary>
    public static byte[] NestedStreamed(int depth)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < depth; i++) sb.Append("*?\r\n:1\r\n");
        sb.Append(":0\r\n");
        for (int i = 0; i < depth; i++) sb.Append(":2\r\n.\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary><paramref name="count"/> attributes <c>|1 +key +value</c> before <c>+OK</c>.</summary>
    public static byte[] ManyAttributes(int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++) sb.Append("|1\r\n+key\r\n+value\r\n");
        sb.Append("+OK\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>"+" then <paramref name="payload"/> 'x' bytes then CRLF.</summary>
    public static byte[] LongSimpleString(int payload)
    {
        var data = new byte[payload + 3];
        data[0] = (byte)'+';
        data.AsSpan(1, payload).Fill((byte)'x');
        data[^2] = (byte)'\r';
        data[^1] = (byte)'\n';
        return data;
    }
}
