using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;

namespace SessionStore;

/// <summary>The sample's server-rendered HTML pages (no scripts).</summary>
internal static class Pages
{
    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Layout(string title, string? user, string body)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(title)).Append(" · Keyslot session store</title>")
            .Append("<style>body{font-family:sans-serif;max-width:46rem;margin:2rem auto;line-height:1.5}")
            .Append("nav a{margin-right:1rem}dt{font-weight:bold}table{border-collapse:collapse}td,th{padding:.2rem .8rem;text-align:left}</style>")
            .Append("</head><body><nav><a href=\"/\">Shop</a><a href=\"/cart\">Cart</a><a href=\"/where\">Where is my session?</a><a href=\"/health\">Health</a>");
        if (user is not null)
        {
            html.Append("<span id=\"user\">Signed in as ").Append(E(user)).Append("</span>");
        }

        html.Append("</nav><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</body></html>");
        return html.ToString();
    }

    private static string Token(AntiforgeryTokenSet tokens) =>
        $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";

    public static string SignIn(AntiforgeryTokenSet tokens) => Layout("Sign in", null,
        "<p>No password: any name will do. Your name and cart are kept in an ASP.NET Core session stored in the Redis Cluster.</p>"
        + "<form method=\"post\" action=\"/signin\">" + Token(tokens)
        + "<label for=\"name\">Name</label> <input id=\"name\" name=\"name\" required maxlength=\"40\"> "
        + "<button id=\"sign-in\" type=\"submit\">Sign in</button></form>");

    public static string Shop(string user, IReadOnlyList<Product> products, int databaseLoads, AntiforgeryTokenSet tokens)
    {
        var body = new StringBuilder("<ul id=\"products\">");
        foreach (Product product in products)
        {
            body.Append("<li id=\"product-").Append(E(product.Id)).Append("\">").Append(E(product.Name)).Append(" — ")
                .Append(Money(product.Price)).Append(" € <form method=\"post\" action=\"/cart/add\" style=\"display:inline\">")
                .Append(Token(tokens)).Append("<input type=\"hidden\" name=\"productId\" value=\"").Append(E(product.Id)).Append("\">")
                .Append("<button id=\"add-").Append(E(product.Id)).Append("\" type=\"submit\">Add to cart</button></form></li>");
        }

        body.Append("</ul><p id=\"catalog-loads\">The product list came from the database ").Append(databaseLoads)
            .Append(" time(s); every other read was a HybridCache hit.</p>")
            .Append("<form method=\"post\" action=\"/signout\">").Append(Token(tokens)).Append("<button id=\"sign-out\" type=\"submit\">Sign out</button></form>");
        return Layout("Shop", user, body.ToString());
    }

    public static string CartPage(string user, IReadOnlyDictionary<string, int> items, IReadOnlyList<Product> products)
    {
        var body = new StringBuilder();
        if (items.Count == 0)
        {
            body.Append("<p id=\"cart-empty\">Your cart is empty.</p>");
        }
        else
        {
            decimal total = 0;
            body.Append("<table id=\"cart\"><tr><th>Product</th><th>Quantity</th><th>Price</th></tr>");
            foreach ((string id, int quantity) in items.OrderBy(i => i.Key, StringComparer.Ordinal))
            {
                Product? product = products.FirstOrDefault(p => p.Id == id);
                decimal price = (product?.Price ?? 0) * quantity;
                total += price;
                body.Append("<tr class=\"cart-item\" data-product=\"").Append(E(id)).Append("\"><td>").Append(E(product?.Name ?? id))
                    .Append("</td><td class=\"quantity\">").Append(quantity).Append("</td><td>").Append(Money(price)).Append(" €</td></tr>");
            }

            body.Append("</table><p id=\"cart-total\">Total: ").Append(Money(total)).Append(" €</p>");
        }

        body.Append("<p><a href=\"/\">Continue shopping</a> · <a href=\"/where\">Where is this cart stored?</a></p>");
        return Layout("Your cart", user, body.ToString());
    }

    public static string Where(string user, SessionLocation location, string sessionId)
    {
        var body = new StringBuilder("<dl>");
        void Row(string id, string term, string value) =>
            body.Append("<dt>").Append(E(term)).Append("</dt><dd id=\"").Append(id).Append("\">").Append(E(value)).Append("</dd>");
        Row("session-key", "Session key (the cookie's value, unprotected)", location.SessionKey);
        Row("redis-key", "Redis key (cache instance name + session key)", location.RedisKey);
        Row("slot", "Hash slot (ClusterClient.GetSlot)", location.Slot.ToString(CultureInfo.InvariantCulture));
        Row("primary", "Primary owning the slot (client's slot map)", location.Primary?.ToString() ?? "unknown");
        Row("replicas", "Its replicas", location.Replicas.Count == 0 ? "none" : string.Join(", ", location.Replicas));
        Row("key-exists", "Key exists in the cluster", location.KeyExists ? "yes" : "no");
        Row("session-id", "ISession.Id (stored inside the value; not the key)", sessionId);
        body.Append("</dl>");
        return Layout("Where is my session?", user, body.ToString());
    }

    public static string NoSession() => Layout("Where is my session?", null,
        "<p id=\"no-session\">No session yet: <a href=\"/\">sign in</a> first.</p>");

    public static string Error(Exception? exception) => Layout("Session store unavailable", null,
        "<p id=\"error\">The request failed; the cluster may be failing over. Reload in a moment.</p><pre id=\"error-detail\">"
        + E(exception?.GetType().Name + ": " + exception?.Message) + "</pre>");
}
