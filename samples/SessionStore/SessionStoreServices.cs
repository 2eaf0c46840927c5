using Keyslot;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Caching.Hybrid;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SessionStore;

/// <summary>The sample's services and middleware.</summary>
internal static class SessionStoreServices
{
    /// <summary>The session cookie's name (the value is the data-protected session key).</summary>
    public const string SessionCookieName = ".SessionStore.Session";

    public static void AddSessionStore(this WebApplicationBuilder builder)
    {
        IServiceCollection services = builder.Services;
        IConfiguration configuration = builder.Configuration;

        // One shared Keyslot client for the cluster named by ConnectionStrings:redis.
        services.AddKeyslotFromConnectionString("redis");

        // The IDistributedCache the sessions (and HybridCache's second level) are stored in: Keyslot's, over that
        // client, every key prefixed with the instance name.
        services.AddKeyslotDistributedCache(options => options.InstanceName = configuration["SessionStore:InstanceName"] ?? "sessionstore:");

        // The key ring that protects the session cookie, in the cluster too: every instance of the app reads the
        // cookies the others wrote (synchronous commands under the hood, since IXmlRepository is synchronous).
        services.AddDataProtection().SetApplicationName("SessionStore").PersistKeysToKeyslot();

        services.AddSession(options =>
        {
            options.Cookie.Name = SessionCookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.IsEssential = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.IdleTimeout = TimeSpan.FromMinutes(20);
            // Bounds each session load and commit (a failover in progress shows the error page, not a hang).
            options.IOTimeout = TimeSpan.FromSeconds(10);
        });
        services.AddAntiforgery(options => options.Cookie.Name = ".SessionStore.Antiforgery");

        // The product list: in memory for a minute, in the cluster (HybridCache's L2, the IDistributedCache above)
        // for five.
        services.AddHybridCache(options => options.DefaultEntryOptions = new HybridCacheEntryOptions
        {
            Expiration = TimeSpan.FromMinutes(5),
            LocalCacheExpiration = TimeSpan.FromMinutes(1),
        });
        services.AddSingleton<Catalog>();
        services.AddSingleton<SessionLocator>();

        services.AddHealthChecks().AddKeyslot();

        // Keyslot's spans and metrics; printed on the console only when Telemetry:ConsoleExporter is true.
        bool console = configuration.GetValue<bool>("Telemetry:ConsoleExporter");
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("SessionStore"))
            .WithTracing(tracing =>
            {
                // ASP.NET Core's own request spans (its ActivitySource): without them each request still gets an
                // unsampled Activity, and the parent-based sampler would drop Keyslot's spans beneath it.
                tracing.AddSource("Microsoft.AspNetCore");
                tracing.AddKeyslotInstrumentation();
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddKeyslotInstrumentation();
                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            });
    }

    public static void MapSessionStore(this WebApplication app)
    {
        // A failed session load or page (the cluster mid-failover, say) is a plain 503 page naming the error.
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            Exception? exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Pages.Error(exception));
        }));
        app.UseSession();

        // Load the session explicitly: DistributedSession's lazy synchronous load swallows a cache failure and
        // shows an empty session (an empty cart), LoadAsync throws it instead.
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
            {
                await context.Session.LoadAsync(context.RequestAborted);
            }

            await next(context);
        });
        app.UseAntiforgery();
        app.MapHealthChecks("/health");
        Endpoints.Map(app);
    }
}
