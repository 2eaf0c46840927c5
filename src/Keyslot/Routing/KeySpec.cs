using System.Globalization;
using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// Where a command's keys are, as the server's key specifications say (<c>COMMAND DOCS</c> / <c>COMMAND INFO</c>):
/// a begin-search step (a fixed index, or after a keyword) and a find-keys step (a range, or a count read from an
/// argument). Positions count the command name as index 0, as the server's do.
/// </summary>
internal sealed class KeySpec
{
    public KeySpec(int beginIndex, string? keyword, int keywordStartFrom, bool keyNum, int lastKey, int keyStep, int limit, int keyNumIndex, int firstKey)
    {
        BeginIndex = beginIndex;
        Keyword = keyword;
        KeywordStartFrom = keywordStartFrom;
        IsKeyNum = keyNum;
        LastKey = lastKey;
        KeyStep = Math.Max(1, keyStep);
        Limit = limit;
        KeyNumIndex = keyNumIndex;
        FirstKey = firstKey;
    }

    public int BeginIndex { get; }
    public string? Keyword { get; }
    public int KeywordStartFrom { get; }
    public bool IsKeyNum { get; }
    public int LastKey { get; }
    public int KeyStep { get; }
    public int Limit { get; }
    public int KeyNumIndex { get; }
    public int FirstKey { get; }

    /// <summary>Keys at argv positions first..last (negative last counts from the end), every step.</summary>
    public static KeySpec Range(int first, int last, int step) => new(first, null, 0, false, last < 0 ? last : last - first, step, 0, 0, 0);

    /// <summary>A key count at argv position <paramref name="countIndex"/>, keys right after it (EVAL, FCALL…).</summary>
    public static KeySpec KeyCount(int countIndex) => new(countIndex, null, 0, true, 0, 1, 0, 0, 1);

    /// <summary>
    /// Adds the keys of a command to <paramref name="keys"/>; <paramref name="args"/> holds the arguments after the
    /// name (argv[1..]). Follows the server's own algorithm (getKeysUsingKeySpecs).
    /// </summary>
    public void CollectKeys(ReadOnlySpan<RedisArgument> args, ref KeySlotCollector keys)
    {
        int argc = args.Length + 1;
        int first = BeginIndex;
        if (Keyword is not null)
        {
            first = FindKeyword(args, argc);
            if (first < 0) return;
        }
        if (first <= 0 || first >= argc) return;
        int last;
        int step = KeyStep;
        if (IsKeyNum)
        {
            int countAt = first + KeyNumIndex;
            if (countAt <= 0 || countAt >= argc) return;
            if (!long.TryParse(args[countAt - 1].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count < 0)
            {
                throw new ArgumentException($"The key count argument of this command must be a non-negative integer.");
            }
            first += FirstKey;
            last = first + (int)count - 1;
        }
        else if (LastKey >= 0)
        {
            last = first + LastKey;
        }
        else
        {
            last = Limit > 1 ? first + ((argc - first) / Limit) + LastKey : argc + LastKey;
        }
        for (int i = Math.Max(first, 1); i <= last && i < argc; i += step)
        {
            keys.Add(args[i - 1]);
        }
    }

    private int FindKeyword(ReadOnlySpan<RedisArgument> args, int argc)
    {
        if (KeywordStartFrom >= 0)
        {
            for (int i = Math.Max(1, KeywordStartFrom); i < argc; i++)
            {
                if (args[i - 1].EqualsIgnoreCase(Keyword!)) return i + 1;
            }
        }
        else
        {
            for (int i = argc + KeywordStartFrom; i >= 1; i--)
            {
                if (args[i - 1].EqualsIgnoreCase(Keyword!)) return i + 1;
            }
        }
        return -1;
    }
}

/// <summary>Gathers the slot of every key a command names and notices when they differ.</summary>
internal struct KeySlotCollector
{
    public KeySlotCollector()
    {
    }

    public int Slot { get; private set; } = KeySlot.None;
    public int OtherSlot { get; private set; } = KeySlot.None;

    public void Add(RedisArgument key)
    {
        int slot = KeySlot.Of(key);
        if (Slot == KeySlot.None) Slot = slot;
        else if (slot != Slot && OtherSlot == KeySlot.None) OtherSlot = slot;
    }
}
