namespace Keyslot;

/// <summary>
/// What the cross-slot SUNION / SINTER / SDIFF of <see cref="ClusterClient"/> merges on: members compared as exact
/// bytes (two different binary members never merge, as they could once decoded to text), then converted.
/// </summary>
internal static class SetMerge
{
    public static readonly Func<byte[], string> AsText = static member => System.Text.Encoding.UTF8.GetString(member);

    public static readonly Func<byte[], byte[]> AsBytes = static member => member;

    /// <summary>Equality and hashing of members by their bytes.</summary>
    public sealed class ByteComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(byte[] obj) => (int)System.IO.Hashing.XxHash32.HashToUInt32(obj);
    }
}
