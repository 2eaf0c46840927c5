namespace Keyslot.SideBySide;

/// <summary>
/// The keys and values both clients use, built once before any timing: 50/50 GET/SET over a fixed key set with
/// 16-byte values. Operation i is a SET when i is odd, on key i mod the key count.
/// </summary>
internal sealed class Workload
{
    public Workload(string prefix, int keyCount)
    {
        Keys = new string[keyCount];
        Values = new string[keyCount];
        for (int i = 0; i < keyCount; i++)
        {
            Keys[i] = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Values[i] = "v" + i.ToString("D15", System.Globalization.CultureInfo.InvariantCulture)[^15..]; // 16 bytes
        }
    }

    public string[] Keys { get; }

    public string[] Values { get; }

    public static bool IsSet(long operation) => (operation & 1) == 1;

    public string KeyOf(long operation) => Keys[(int)(operation % Keys.Length)];

    public string ValueOf(long operation) => Values[(int)(operation % Values.Length)];
}

/// <summary>Counts failed operations by exception type, keeping one message of each.</summary>
internal sealed class ErrorCounter
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Count, string Sample)> _errors = new();

    public int Total => _errors.Values.Sum(e => e.Count);

    public void Add(Exception error) =>
        _errors.AddOrUpdate(error.GetType().Name, _ => (1, error.Message), (_, e) => (e.Count + 1, e.Sample));

    public override string ToString() => _errors.IsEmpty ? "none" : string.Join("; ", _errors.Select(e => $"{e.Key}×{e.Value.Count} ({e.Value.Sample})"));
}
