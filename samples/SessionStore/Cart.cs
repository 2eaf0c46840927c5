using System.Text.Json;

namespace SessionStore;

/// <summary>The signed-in name and the cart, kept in the session (a JSON object: product id → quantity).</summary>
internal static class Cart
{
    private const string UserKey = "user";
    private const string CartKey = "cart";

    public static string? GetUser(ISession session) => session.GetString(UserKey);

    public static void SignIn(ISession session, string name)
    {
        session.Clear();
        session.SetString(UserKey, name);
    }

    public static Dictionary<string, int> GetItems(ISession session)
    {
        string? json = session.GetString(CartKey);
        return json is null ? new(StringComparer.Ordinal) : JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? new(StringComparer.Ordinal);
    }

    public static void Add(ISession session, string productId)
    {
        Dictionary<string, int> items = GetItems(session);
        items[productId] = items.GetValueOrDefault(productId) + 1;
        session.SetString(CartKey, JsonSerializer.Serialize(items));
    }
}
