using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Keyslot.BrowserTests;

/// <summary>
/// Headless Chromium through chromedriver (Debian's <c>chromium</c> and <c>chromium-driver</c>, installed by
/// scripts/ensure-browser.sh), with every wait bounded. Disposing quits the browser and stops chromedriver.
/// </summary>
internal sealed class Browser : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly ChromeDriver _driver;

    private int _disposed;

    private Browser(ChromeDriver driver)
    {
        _driver = driver;
        // A test abandoned by its timeout may never reach Dispose; chromedriver and Chromium must not outlive the host.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    public IWebDriver Driver => _driver;

    public static Browser Start()
    {
        string chromium = Locate("chromium", "/usr/bin/chromium");
        string chromedriver = Locate("chromedriver", "/usr/bin/chromedriver");
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900", "--no-first-run", "--no-default-browser-check");
        // Each command to chromedriver is bounded too (a hung browser fails the test instead of hanging it).
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        driver.Manage().Timeouts().ImplicitWait = TimeSpan.Zero;
        return new Browser(driver);
    }

    public void GoTo(Uri address) => _driver.Navigate().GoToUrl(address);

    public void Reload() => _driver.Navigate().Refresh();

    /// <summary>Waits until the element is on the page and returns it.</summary>
    public IWebElement WaitFor(By by, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyCollection<IWebElement> found = _driver.FindElements(by);
            if (found.Count > 0)
            {
                return found.First();
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"No element {by} on {_driver.Url} within {timeout.TotalSeconds:0.#} s. Page text:\n{PageText()}");
            }

            Thread.Sleep(PollInterval);
        }
    }

    public string Text(By by) => WaitFor(by, TimeSpan.FromSeconds(10)).Text;

    public string PageText()
    {
        try
        {
            return _driver.FindElement(By.TagName("body")).Text;
        }
        catch (WebDriverException ex)
        {
            return $"(no page text: {ex.Message})";
        }
    }

    /// <summary>Saves a PNG screenshot of the current page and returns its path.</summary>
    public string Screenshot(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            _driver.Quit();
        }
        finally
        {
            _driver.Dispose();
        }
    }

    private static string Locate(string name, string fallback)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists(fallback)
            ? fallback
            : throw new FileNotFoundException($"{name} is not installed; run scripts/ensure-browser.sh (Debian packages chromium and chromium-driver).", fallback);
    }
}
