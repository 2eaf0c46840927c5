namespace Keyslot;

/// <summary>
/// One stream entry: its ID and its field/value pairs in the order they were added (fields may repeat). An entry
/// that was deleted while still pending in a group (read again with XREADGROUP from an ID) has no values.
/// </summary>
/// <param name="Id">The entry's ID, e.g. <c>1700000000000-0</c>.</param>
/// <param name="Values">The field/value pairs as UTF-8 text.</param>
public readonly record struct StreamEntry(string Id, KeyValuePair<string, string>[] Values)
{
    /// <summary>The value of the first pair named <paramref name="field"/>, or null.</summary>
    public string? this[string field]
    {
        get
        {
            foreach (KeyValuePair<string, string> pair in Values ?? [])
            {
                if (string.Equals(pair.Key, field, StringComparison.Ordinal)) return pair.Value;
            }
            return null;
        }
    }
}
