using System.Diagnostics;
using System.Globalization;
using Keyslot.Testing;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Keyslot.BrowserTests;

/// <summary>
/// The SessionStore sample in headless Chromium against a real local cluster (3 primaries × 1 replica): a cart kept
/// in the ASP.NET Core session survives a reload, a live reshard of 2,000 slots that include the session key's slot,
/// and a kill -9 of the primary then owning it (its replica is promoted). The owner changes are checked with the
/// servers themselves, not only with what the page says.
/// </summary>
public sealed class SessionStoreBrowserTests(ITestOutputHelper output)
{
    private const int SlotsToMove = 2000;
    private const int MaxReloadsAfterFailover = 30;
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(15);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact(Timeout = 300_000)]
    public async Task Cart_survives_reload_reshard_and_primary_failover()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        CancellationToken ct = budget.Token;
        await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = 3, ReplicasPerPrimary = 1 }, ct);
        Log($"cluster up: {string.Join(", ", cluster.Nodes.Select(n => n.Endpoint))}");
        using SessionStoreProcess sample = await SessionStoreProcess.StartAsync(cluster.ConfigurationString, TimeSpan.FromSeconds(60), ct);
        Log($"sample (pid {sample.ProcessId}) on {sample.BaseAddress}");
        try
        {
            using Browser browser = Browser.Start();
            try
            {
                await RunAsync(cluster, sample, browser, ct);
            }
            catch
            {
                TryScreenshot(browser, "failure.png");
                throw;
            }
        }
        catch
        {
            output.WriteLine("--- SessionStore output ---");
            output.WriteLine(sample.Output);
            throw;
        }
    }

    private async Task RunAsync(LocalRedisCluster cluster, SessionStoreProcess sample, Browser browser, CancellationToken ct)
    {
        Uri Page(string path) => new(sample.BaseAddress, path);
        var expected = new Dictionary<string, int> { ["kettle"] = 1, ["tea"] = 2 };

        // Sign in and fill the cart: tea, kettle, tea.
        browser.GoTo(Page("/"));
        browser.WaitFor(By.Id("name"), PageWait).SendKeys("Ada");
        browser.WaitFor(By.Id("sign-in"), PageWait).Click();
        browser.WaitFor(By.Id("products"), PageWait);
        foreach (string product in new[] { "tea", "kettle", "tea" })
        {
            browser.GoTo(Page("/"));
            browser.WaitFor(By.Id("add-" + product), PageWait).Click();
            browser.WaitFor(By.Id("cart"), PageWait);
        }

        AssertCart(browser, expected);
        browser.Reload();
        AssertCart(browser, expected);
        Log("signed in, cart filled, reload kept it");

        // Where is the session? The page's answer, checked with the servers.
        SessionOnPage where = ReadWhere(browser, Page("/where"));
        Assert.Equal("yes", where.KeyExists);
        Assert.StartsWith("sessionstore:", where.RedisKey, StringComparison.Ordinal);
        string keyslot = await cluster.ExecuteAsync(cluster.Nodes[0], ["CLUSTER", "KEYSLOT", where.RedisKey], ct);
        Assert.Equal(where.Slot, int.Parse(keyslot, CultureInfo.InvariantCulture));
        LocalRedisNode owner = await cluster.GetSlotOwnerAsync(where.Slot, ct);
        Assert.Equal(owner.Endpoint, where.Primary);
        Assert.Equal("1", await cluster.ExecuteAsync(owner, ["EXISTS", where.RedisKey], ct));
        Assert.Equal("hash", await cluster.ExecuteAsync(owner, ["TYPE", where.RedisKey], ct));
        Log($"session key {where.RedisKey}: slot {where.Slot}, on {owner.Endpoint}");

        // Reshard 2,000 slots, the session's among them, from its owner to another primary, live.
        LocalRedisNode target = (await cluster.GetPrimariesAsync(ct)).First(p => p != owner);
        int ownerSlotsBefore = await SlotsOwnedAsync(cluster, owner, ct);
        int targetSlotsBefore = await SlotsOwnedAsync(cluster, target, ct);
        await cluster.MoveSlotAsync(where.Slot, target, ct);
        await cluster.MoveSlotsAsync(owner, target, SlotsToMove - 1, ct);
        Assert.Equal(ownerSlotsBefore - SlotsToMove, await SlotsOwnedAsync(cluster, owner, ct));
        Assert.Equal(targetSlotsBefore + SlotsToMove, await SlotsOwnedAsync(cluster, target, ct));
        LocalRedisNode afterReshard = await cluster.GetSlotOwnerAsync(where.Slot, ct);
        Assert.Equal(target, afterReshard);
        Assert.NotEqual(owner, afterReshard);
        Assert.Equal("1", await cluster.ExecuteAsync(target, ["EXISTS", where.RedisKey], ct));
        var moved = await Assert.ThrowsAsync<LocalRedisCommandException>(() => cluster.ExecuteAsync(owner, ["EXISTS", where.RedisKey], ct));
        Assert.StartsWith($"MOVED {where.Slot} {target.Endpoint}", moved.ServerError, StringComparison.Ordinal);
        Log($"moved {SlotsToMove} slots {owner.Endpoint} -> {target.Endpoint}; the old owner answers {moved.ServerError}");

        int reloads = ReloadUntilCart(browser, Page("/cart"), expected, MaxReloadsAfterFailover);
        Log($"after the reshard the cart was there on reload {reloads}");
        SessionOnPage afterMove = WaitForPagePrimary(browser, Page("/where"), target.Endpoint);
        Assert.Equal(where.RedisKey, afterMove.RedisKey);

        // Kill -9 the primary now holding the session; its replica must take over with the key.
        LocalRedisNode replica = Assert.Single(await cluster.GetReplicasAsync(target, ct));
        await WaitUntilReplicaHasAsync(cluster, replica, where.RedisKey, ct);
        cluster.Kill(target);
        var failover = Stopwatch.StartNew();
        LocalRedisNode promoted = await cluster.WaitForFailoverAsync(target, TimeSpan.FromSeconds(30), ct);
        Log($"killed {target.Endpoint} (pid {target.ProcessId}); {promoted.Endpoint} promoted after {failover.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(replica, promoted);
        Assert.False(target.IsAlive);
        Assert.Equal(promoted, await cluster.GetSlotOwnerAsync(where.Slot, ct));
        Assert.Contains("role:master", await cluster.ExecuteAsync(promoted, ["INFO", "replication"], ct), StringComparison.Ordinal);
        Assert.Equal("1", await cluster.ExecuteAsync(promoted, ["EXISTS", where.RedisKey], ct));

        reloads = ReloadUntilCart(browser, Page("/cart"), expected, MaxReloadsAfterFailover);
        Log($"after the failover the cart was there on reload {reloads} of at most {MaxReloadsAfterFailover}");
        SessionOnPage afterFailover = WaitForPagePrimary(browser, Page("/where"), promoted.Endpoint);
        Assert.Equal(where.RedisKey, afterFailover.RedisKey);
        Assert.Equal("yes", afterFailover.KeyExists);

        browser.GoTo(Page("/cart"));
        AssertCart(browser, expected);
        string screenshot = browser.Screenshot(Path.Combine(AppContext.BaseDirectory, "artifacts", "browser", "cart.png"));
        Assert.True(new FileInfo(screenshot).Length > 0);
        Log($"screenshot of the cart: {screenshot}");
    }

    private void TryScreenshot(Browser browser, string name)
    {
        try
        {
            Log($"screenshot of the failing page ({browser.Driver.Url}): {browser.Screenshot(Path.Combine(AppContext.BaseDirectory, "artifacts", "browser", name))}");
        }
        catch (WebDriverException ex)
        {
            Log($"no screenshot of the failing page: {ex.Message}");
        }
    }

    private static void AssertCart(Browser browser, IReadOnlyDictionary<string, int> expected)
    {
        browser.WaitFor(By.Id("cart"), PageWait);
        Assert.Equal(expected, ReadCart(browser));
        Assert.Equal("Total: 48.00 €", browser.Text(By.Id("cart-total")));
        Assert.Equal("Signed in as Ada", browser.Text(By.Id("user")));
    }

    private static Dictionary<string, int> ReadCart(Browser browser) =>
        browser.Driver.FindElements(By.CssSelector("tr.cart-item")).ToDictionary(
            row => row.GetAttribute("data-product") ?? string.Empty,
            row => int.Parse(row.FindElement(By.ClassName("quantity")).Text, CultureInfo.InvariantCulture));

    /// <summary>Loads the cart page until it shows the expected cart; returns how many loads that took.</summary>
    private int ReloadUntilCart(Browser browser, Uri cart, IReadOnlyDictionary<string, int> expected, int maxLoads)
    {
        string last = string.Empty;
        for (int load = 1; load <= maxLoads; load++)
        {
            browser.GoTo(cart);
            if (browser.Driver.FindElements(By.Id("cart")).Count > 0)
            {
                AssertCart(browser, expected);
                return load;
            }

            // Anything but the error page (an empty cart, the sign-in page) means the session was lost: fail now.
            last = browser.PageText();
            Assert.True(browser.Driver.FindElements(By.Id("error")).Count > 0, $"Load {load} of {cart} showed neither the cart nor the error page:\n{last}");
            Log($"load {load}: {browser.Text(By.Id("error-detail"))}");
            Thread.Sleep(1000);
        }

        Assert.Fail($"The cart did not come back within {maxLoads} loads. Last page:\n{last}");
        return maxLoads;
    }

    /// <summary>Reads /where until it names <paramref name="primary"/> (the client learns new owners from MOVED and refreshes).</summary>
    private SessionOnPage WaitForPagePrimary(Browser browser, Uri where, string primary)
    {
        SessionOnPage page = default;
        for (int attempt = 1; attempt <= 20; attempt++)
        {
            page = ReadWhere(browser, where);
            if (page.Primary == primary)
            {
                Log($"/where names {primary} (attempt {attempt})");
                return page;
            }

            Thread.Sleep(500);
        }

        Assert.Fail($"/where still names {page.Primary} as the session's primary, not {primary}.");
        return page;
    }

    private static SessionOnPage ReadWhere(Browser browser, Uri where)
    {
        browser.GoTo(where);
        browser.WaitFor(By.Id("redis-key"), PageWait);
        return new SessionOnPage(
            browser.Text(By.Id("redis-key")),
            int.Parse(browser.Text(By.Id("slot")), CultureInfo.InvariantCulture),
            browser.Text(By.Id("primary")),
            browser.Text(By.Id("key-exists")));
    }

    /// <summary>Replication is asynchronous: make sure the replica has the session before its primary dies.</summary>
    private static async Task WaitUntilReplicaHasAsync(LocalRedisCluster cluster, LocalRedisNode replica, string key, CancellationToken ct)
    {
        await using LocalRedisConnection connection = await cluster.ConnectAsync(replica, cancellationToken: ct);
        await connection.ExecuteAsync(["READONLY"], ct);
        var watch = Stopwatch.StartNew();
        while (await connection.ExecuteAsync(["EXISTS", key], ct) != "1")
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{replica.Endpoint} has no copy of {key} after 10 s.");
            await Task.Delay(50, ct);
        }
    }

    /// <summary>How many slots the node says it owns: the slot ranges of its own (<c>myself</c>) line of CLUSTER NODES.</summary>
    private static async Task<int> SlotsOwnedAsync(LocalRedisCluster cluster, LocalRedisNode node, CancellationToken ct)
    {
        string nodes = await cluster.ExecuteAsync(node, ["CLUSTER", "NODES"], ct);
        string myself = nodes.Split('\n').Single(line => line.Split(' ').ElementAtOrDefault(2)?.Split(',').Contains("myself") == true);
        int count = 0;
        foreach (string field in myself.Trim().Split(' ').Skip(8).Where(f => !f.StartsWith('[')))
        {
            string[] range = field.Split('-');
            int start = int.Parse(range[0], CultureInfo.InvariantCulture);
            int end = range.Length > 1 ? int.Parse(range[1], CultureInfo.InvariantCulture) : start;
            count += end - start + 1;
        }

        return count;
    }

    private void Log(string message) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {message}");

    private readonly record struct SessionOnPage(string RedisKey, int Slot, string Primary, string KeyExists);
}
