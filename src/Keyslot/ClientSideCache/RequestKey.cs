namespace Keyslot.ClientSideCache;

/// <summary>
/// The key of a cacheable request as written on the wire (<c>*N $len NAME $len KEY …</c>): every cached command has
/// its key first, so the key is the second bulk string.
/// </summary>
internal static class RequestKey
{
    /// <summary>The key's bytes inside <paramref name="request"/>.</summary>
    public static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> request)
    {
        int position = SkipLine(request, 0);            // *N
        position = SkipBulk(request, position);          // the command name
        int length = ReadLength(request, position, out position);
        return request.Slice(position, length);
    }

    private static int SkipBulk(ReadOnlySpan<byte> request, int position)
    {
        int length = ReadLength(request, position, out position);
        return position + length + 2;
    }

    /// <summary>Reads <c>$len\r\n</c> at <paramref name="position"/>; <paramref name="payload"/> is where the bytes start.</summary>
    private static int ReadLength(ReadOnlySpan<byte> request, int position, out int payload)
    {
        if (request[position] != (byte)'$') throw new FormatException("A cacheable request has its key as the second bulk string.");
        int length = 0;
        int i = position + 1;
        for (; request[i] != (byte)'\r'; i++) length = length * 10 + (request[i] - '0');
        payload = i + 2;
        return length;
    }

    private static int SkipLine(ReadOnlySpan<byte> request, int position) => request[position..].IndexOf((byte)'\n') + position + 1;
}
