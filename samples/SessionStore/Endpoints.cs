using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace SessionStore;

/// <summary>The sample's pages and form posts.</summary>
internal static class Endpoints
{
    private static IResult Html(string html) => Results.Content(html, "text/html; charset=utf-8");

    public static void Map(WebApplication app)
    {
        app.MapGet("/", async (HttpContext context, Catalog catalog, IAntiforgery antiforgery) =>
        {
            AntiforgeryTokenSet tokens = antiforgery.GetAndStoreTokens(context);
            string? user = Cart.GetUser(context.Session);
            if (user is null)
            {
                return Html(Pages.SignIn(tokens));
            }

            Product[] products = await catalog.GetProductsAsync(context.RequestAborted);
            return Html(Pages.Shop(user, products, catalog.DatabaseLoads, tokens));
        });

        app.MapPost("/signin", (HttpContext context, [FromForm] string name) =>
        {
            name = name.Trim();
            if (name.Length is 0 or > 40)
            {
                return Results.BadRequest("A name of 1 to 40 characters, please.");
            }

            Cart.SignIn(context.Session, name);
            return Results.Redirect("/");
        });

        app.MapPost("/signout", (HttpContext context) =>
        {
            context.Session.Clear();
            return Results.Redirect("/");
        });

        app.MapPost("/cart/add", async (HttpContext context, Catalog catalog, [FromForm] string productId) =>
        {
            if (Cart.GetUser(context.Session) is null)
            {
                return Results.Redirect("/");
            }

            Product[] products = await catalog.GetProductsAsync(context.RequestAborted);
            if (!products.Any(p => p.Id == productId))
            {
                return Results.BadRequest("No such product.");
            }

            Cart.Add(context.Session, productId);
            return Results.Redirect("/cart");
        });

        app.MapGet("/cart", async (HttpContext context, Catalog catalog) =>
        {
            string? user = Cart.GetUser(context.Session);
            if (user is null)
            {
                return Results.Redirect("/");
            }

            Product[] products = await catalog.GetProductsAsync(context.RequestAborted);
            return Html(Pages.CartPage(user, Cart.GetItems(context.Session), products));
        });

        app.MapGet("/where", async (HttpContext context, SessionLocator locator) =>
        {
            string? user = Cart.GetUser(context.Session);
            SessionLocation? location = user is null ? null : await locator.LocateAsync(context, context.RequestAborted);
            return location is null ? Html(Pages.NoSession()) : Html(Pages.Where(user!, location, context.Session.Id));
        });
    }
}
