using Microsoft.Playwright;
using Tandem.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(Tandem.BrowserTests.BrowserFixture))]

namespace Tandem.BrowserTests;

/// <summary>
/// One headless Debian Chromium for the whole run, driven by Playwright (never a downloaded browser).
/// Without Chromium a test is a visible skip, except in CI (CI=true), where it fails.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? playwright;

    /// <summary>How long an expectation waits for the page to come right before it fails.</summary>
    public const float ExpectTimeoutMs = 30_000;

    /// <summary>How long a click, fill or navigation waits for its element or page.</summary>
    public const float ActionTimeoutMs = 90_000;

    public IBrowser? Browser { get; private set; }

    public static string ScreenshotDir { get; } = Path.Combine(RepoRoot(), ".test-output", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) return;
        Directory.CreateDirectory(ScreenshotDir);
        // Playwright's defaults (5 s for an expectation, 30 s for an action) assume a quiet machine; with the other test
        // project and PostgreSQL beside it, a page can take longer to render and still be right.
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public IBrowser RequireBrowser()
    {
        if (Browser is not null) return Browser;
        if (TestDatabases.InCi) throw new InvalidOperationException($"CI=true but Chromium is missing at {ChromiumPath}: browser tests must run in CI.");
        Assert.Skip($"Chromium is not installed at {ChromiumPath}.");
        return null!;
    }

    /// <summary>A new browser context (own cookies) whose actions wait as long as a busy machine needs.</summary>
    public static async Task<IBrowserContext> NewContextAsync(IBrowser browser, BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ActionTimeoutMs);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tandem.slnx"))) return dir.FullName;
        return Path.GetTempPath();
    }
}
