using System.Globalization;

namespace Keyslot.IntegrationTests.Infrastructure;

/// <summary>A key for every hash slot ("slotkey:N"), found once by hashing candidates until all slots are covered.</summary>
public static class SlotKeys
{
    private static readonly Lazy<string[]> Table = new(Build);

    /// <summary>A key that maps to <paramref name="slot"/>.</summary>
    public static string For(int slot) => Table.Value[slot];

    private static string[] Build()
    {
        var keys = new string?[16_384];
        int missing = keys.Length;
        for (int i = 0; missing > 0; i++)
        {
            string key = "slotkey:" + i.ToString(CultureInfo.InvariantCulture);
            int slot = ClusterClient.GetSlot(key);
            if (keys[slot] is null)
            {
                keys[slot] = key;
                missing--;
            }
        }
        return keys!;
    }
}
