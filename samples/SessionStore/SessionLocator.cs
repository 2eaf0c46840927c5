using System.Text;
using Keyslot;
using Keyslot.Extensions.Caching;
using Microsoft.AspNetCore.DataProtection;

namespace SessionStore;

/// <summary>Where a session lives: its Redis key, hash slot and the shard that owns the slot.</summary>
internal sealed record SessionLocation(
    string SessionKey,
    string RedisKey,
    int Slot,
    NodeEndpoint? Primary,
    IReadOnlyList<NodeEndpoint> Replicas,
    bool KeyExists);

/// <summary>
/// Finds the Redis key of the current request's session. ASP.NET Core's SessionMiddleware keeps a random GUID string,
/// the session key, in the session cookie, protected with a data protector whose purpose is
/// <c>"SessionMiddleware"</c> (<c>CreateProtector(nameof(SessionMiddleware))</c>) and base64-encoded without padding;
/// <c>DistributedSession</c> uses that session key as the <c>IDistributedCache</c> key, and the cache prefixes it with
/// its instance name (<see cref="KeyslotCache.InstanceName"/>). <c>ISession.Id</c> is something else: a second random id stored inside the session's value, so
/// it cannot locate the key. This class unprotects the cookie the same way the middleware does.
/// </summary>
internal sealed class SessionLocator(IDataProtectionProvider dataProtection, KeyslotCache cache, IClusterClient client)
{
    // The purpose string SessionMiddleware uses (nameof(SessionMiddleware)); a different one could not unprotect the cookie.
    private readonly IDataProtector _protector = dataProtection.CreateProtector("SessionMiddleware");

    /// <summary>The session key from the request's cookie, or null when there is no valid cookie (no session yet).</summary>
    public string? GetSessionKey(HttpContext context)
    {
        string? cookie = context.Request.Cookies[SessionStoreServices.SessionCookieName];
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        try
        {
            int padding = (4 - (cookie.Length % 4)) % 4;
            byte[] protectedBytes = Convert.FromBase64String(cookie + new string('=', padding));
            return Encoding.UTF8.GetString(_protector.Unprotect(protectedBytes));
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Locates the session: slot from the key, owner and replicas from the client's current slot map.</summary>
    public async Task<SessionLocation?> LocateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        string? sessionKey = GetSessionKey(context);
        if (sessionKey is null)
        {
            return null;
        }

        string redisKey = cache.InstanceName + sessionKey; // the prefix KeyslotCache puts before every cache key
        int slot = ClusterClient.GetSlot(redisKey);
        // Ask the cluster first: a MOVED reply on the way refreshes the slot map read below.
        bool exists = await client.KeyExistsAsync(redisKey, cancellationToken);
        ClusterTopology topology = client.Topology;
        SlotRange? range = topology.SlotRanges.FirstOrDefault(r => r.Contains(slot));
        return new SessionLocation(sessionKey, redisKey, slot, range?.Primary, range?.Replicas ?? [], exists);
    }
}
