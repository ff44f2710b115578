using Microsoft.Playwright;
using Tandem.Tests.Infrastructure;

namespace Tandem.BrowserTests;

/// <summary>A fresh Tandem server with the test company, and a browser tab per signed-in user, with intent-named steps.</summary>
public sealed class WebApp : IAsyncDisposable
{
    private readonly List<IBrowserContext> contexts = [];
    private readonly IBrowser browser;

    private WebApp(IBrowser browser, TandemServer server, WebWorld world)
    {
        this.browser = browser;
        Server = server;
        World = world;
    }

    public TandemServer Server { get; }
    public WebWorld World { get; }

    /// <param name="clock">A clock the test moves by hand, e.g. to let a service-level promise lapse.</param>
    public static async Task<WebApp> StartAsync(BrowserFixture fixture, TimeProvider? clock = null, IDictionary<string, string?>? settings = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var browser = fixture.RequireBrowser();
        var server = await TandemServer.StartAsync(clock: clock, settings: settings, services: services);
        return new WebApp(browser, server, await WebWorld.CreateAsync(server));
    }

    /// <summary>A new tab (own cookies) on the sign-in page; a phone-sized one when asked.</summary>
    public async Task<IPage> OpenAsync(bool phone = false)
    {
        var context = await BrowserFixture.NewContextAsync(browser, new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1360, Height = 900 },
            DeviceScaleFactor = 1,
            AcceptDownloads = true,
        });
        contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        return page;
    }

    public async Task<IPage> SignInAsync(string email, bool phone = false)
    {
        var page = await OpenAsync(phone);
        await page.SubmitSignInAsync(email, WebWorld.Password);
        await Assertions.Expect(page.GetByTestId("me-name")).ToBeVisibleAsync();
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in contexts) await c.DisposeAsync();
        await Server.DisposeAsync();
    }
}

public static class PageSteps
{
    public static async Task SubmitSignInAsync(this IPage page, string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>
    /// Saves a full-page screenshot under .test-output/screenshots, to look at as a user would. A screenshot is evidence
    /// for a person, not a check: when a starved browser cannot paint one in time, the test says so in its output and
    /// goes on to its assertions instead of failing on the picture.
    /// </summary>
    public static async Task ShotAsync(this IPage page, string name)
    {
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(BrowserFixture.ScreenshotDir, name + ".png"),
                FullPage = true,
                Animations = ScreenshotAnimations.Disabled,
            });
        }
        catch (TimeoutException e)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"screenshot {name} not saved: {e.Message.Split('\n')[0]}");
        }
    }
}
