namespace Keyslot;

/// <summary>
/// One stream entry with its values as bytes (binary values come back exactly); field names are decoded as UTF-8. An
/// entry deleted while still pending in a group has no values.
/// </summary>
/// <param name="Id">The entry's ID, e.g. <c>1700000000000-0</c>.</param>
/// <param name="Values">The field/value pairs, values as bytes.</param>
public readonly record struct StreamBytesEntry(string Id, KeyValuePair<string, byte[]>[] Values)
{
    /// <summary>The value of the first pair named <paramref name="field"/>, or null.</summary>
    public byte[]? this[string field]
    {
        get
        {
            foreach (KeyValuePair<string, byte[]> pair in Values ?? [])
            {
                if (string.Equals(pair.Key, field, StringComparison.Ordinal)) return pair.Value;
            }
            return null;
        }
    }
}
