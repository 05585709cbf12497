using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.EndToEndTests;
using Microsoft.Playwright;

namespace Insightly.Unified.BrowserTests;

/// <summary>
/// The link page in a real browser: a person opens the link, reads where to find the key, fills the form and
/// submits; the page's own CSP must let its style, script and redirect work while refusing framing and
/// cross-site submission. Screenshots (light and dark, narrow and wide) go to <c>screenshots/</c> in the test
/// output, and to <c>docs/images/</c> when <c>UPDATE_DOCS_SCREENSHOTS=1</c>.
/// </summary>
public sealed class LinkPageBrowserTests(ApiHostFixture host, ChromiumFixture chromium)
    : IClassFixture<ApiHostFixture>, IClassFixture<ChromiumFixture>
{
    private const string ApiUrl = "https://api.na1.insightly.com/v3.1/";

    private static readonly ViewportSize Narrow = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Wide = new() { Width = 1280, Height = 900 };

    [Fact]
    public async Task A_person_fills_the_form_submits_and_sees_success()
    {
        var (instance, key) = host.NewInstance();
        var url = await IssueAsync(new { tenant_id = "browser-success", label = "Browser" });
        await using var context = await NewContextAsync(Wide, ColorScheme.Light);
        var page = await context.NewPageAsync();
        var problems = Watch(page);

        var response = await page.GotoAsync(url);
        Assert.Equal(200, response!.Status);
        Assert.Equal("Connect your Insightly account", await page.TitleAsync());
        Assert.Contains("User Settings", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        // The hashed inline style applied: the button is painted in the accent colour, not the browser default.
        Assert.Equal("rgb(29, 91, 208)", await page.EvalOnSelectorAsync<string>("button", "b => getComputedStyle(b).backgroundColor"));
        await ScreenshotAsync(page, "link-page-light-wide");

        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByLabel("API URL").FillAsync(ApiUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Insightly" }).ClickAsync();

        await page.GetByRole(AriaRole.Heading, new() { Name = "Insightly connected" }).WaitForAsync();
        Assert.Contains(instance.Subdomain, await page.InnerTextAsync("main"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, page.Url, StringComparison.Ordinal);
        await ScreenshotAsync(page, "link-success-light-wide");
        Assert.Empty(problems);

        var accounts = await host.Api.GetFromJsonAsync<JsonObject>("integrated-accounts?tenant_id=browser-success");
        Assert.Single(accounts!["result"]!.AsArray());
    }

    [Fact]
    public async Task A_wrong_key_shows_the_specific_error_keeps_the_url_and_focuses_the_key()
    {
        var url = await IssueAsync(new { tenant_id = "browser-wrong-key" });
        await using var context = await NewContextAsync(Narrow, ColorScheme.Dark);
        var page = await context.NewPageAsync();
        var problems = Watch(page);

        await page.GotoAsync(url);
        await ScreenshotAsync(page, "link-page-dark-narrow");
        await page.GetByLabel("API key").FillAsync("not-a-key-4471");
        await page.GetByLabel("API URL").FillAsync(ApiUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Insightly" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        await alert.WaitForAsync();
        Assert.Contains("Insightly did not accept this API key", await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Error: Connect your Insightly account", await page.TitleAsync());
        Assert.Equal(ApiUrl, await page.GetByLabel("API URL").InputValueAsync());
        Assert.Equal("", await page.GetByLabel("API key").InputValueAsync());
        Assert.Equal("api_key", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Equal("true", await page.GetByLabel("API key").GetAttributeAsync("aria-invalid"));
        Assert.DoesNotContain("not-a-key-4471", await page.ContentAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(page, "link-error-dark-narrow");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Errors_and_success_read_well_in_the_other_scheme_and_width()
    {
        var (_, key) = host.NewInstance("eu1");
        var url = await IssueAsync(new { tenant_id = "browser-wrong-pod" });
        await using var context = await NewContextAsync(Wide, ColorScheme.Dark);
        var page = await context.NewPageAsync();
        var problems = Watch(page);

        await page.GotoAsync(url);
        await ScreenshotAsync(page, "link-page-dark-wide");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByLabel("API URL").FillAsync(ApiUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Insightly" }).ClickAsync();
        await page.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Contains("'eu1', not 'na1'", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("api_url", await page.EvaluateAsync<string>("document.activeElement.id"));

        // The person corrects the URL; the key has to be pasted again.
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByLabel("API URL").FillAsync("https://api.eu1.insightly.com/v3.1/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Insightly" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Insightly connected" }).WaitForAsync();
        Assert.Empty(problems);

        await using var narrowLight = await NewContextAsync(Narrow, ColorScheme.Light);
        var second = await narrowLight.NewPageAsync();
        await second.GotoAsync(await IssueAsync(new { tenant_id = "browser-light-narrow" }));
        await ScreenshotAsync(second, "link-page-light-narrow");
        await second.GotoAsync(url);
        Assert.Equal("This link has already been used", await second.InnerTextAsync("h1"));
        await ScreenshotAsync(second, "link-used-light-narrow");
    }

    [Fact]
    public async Task Success_redirects_to_the_redirect_url_through_the_pages_own_policy()
    {
        var (_, key) = host.NewInstance();
        var url = await IssueAsync(new { tenant_id = "browser-redirect", redirect_url = "https://saas.example/crm/connected?state=7" });
        await using var context = await NewContextAsync(Wide, ColorScheme.Light);
        var page = await context.NewPageAsync();
        // The SaaS backend's page, served by the browser itself: nothing leaves this machine.
        await page.RouteAsync("https://saas.example/**", route => route.FulfillAsync(new() { ContentType = "text/html", Body = "<h1>Back in the app</h1>" }));
        var problems = Watch(page);

        await page.GotoAsync(url);
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByLabel("API URL").FillAsync(ApiUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Insightly" }).ClickAsync();
        await page.WaitForURLAsync("https://saas.example/**");

        var id = (await host.Api.GetFromJsonAsync<JsonObject>("integrated-accounts?tenant_id=browser-redirect"))!["result"]![0]!["id"]!.GetValue<string>();
        Assert.Equal($"https://saas.example/crm/connected?state=7&integrated_account_id={id}", page.Url);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Another_site_can_neither_frame_the_page_nor_submit_its_form()
    {
        var (_, key) = host.NewInstance();
        var url = await IssueAsync(new { tenant_id = "browser-attack" });
        var action = new Uri(new Uri(url), "/api/link").AbsoluteUri;
        var token = new Uri(url).Query["?token=".Length..];
        await using var context = await NewContextAsync(Wide, ColorScheme.Light);
        var page = await context.NewPageAsync();
        await page.RouteAsync("https://attacker.example/frame", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"<iframe id=\"victim\" src=\"{url}\"></iframe>",
        }));
        await page.RouteAsync("https://attacker.example/post", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"<form method=\"post\" action=\"{action}\"><input name=\"token\" value=\"{token}\"><input name=\"api_key\" value=\"{key}\">"
                   + $"<input name=\"api_url\" value=\"{ApiUrl}\"><button>Go</button></form>",
        }));

        // The load event waits for the frame too; the browser must have refused to render the page in it.
        await page.GotoAsync("https://attacker.example/frame", new() { WaitUntil = WaitUntilState.Load });
        var frame = page.Frames.Single(f => f != page.MainFrame);
        Assert.DoesNotContain("Insightly", await SafeContentAsync(frame), StringComparison.Ordinal);
        Assert.StartsWith("chrome-error:", frame.Url, StringComparison.Ordinal);

        await page.GotoAsync("https://attacker.example/post");
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button"), action);
        Assert.Equal(403, response.Status);
        await page.WaitForURLAsync(action);
        Assert.Equal("This form was sent from another site", await page.InnerTextAsync("h1"));
        var accounts = await host.Api.GetFromJsonAsync<JsonObject>("integrated-accounts?tenant_id=browser-attack");
        Assert.Empty(accounts!["result"]!.AsArray());
    }

    private static async Task<string> SafeContentAsync(IFrame frame)
    {
        try
        {
            return await frame.ContentAsync();
        }
        catch (PlaywrightException)
        {
            return "";
        }
    }

    private Task<IBrowserContext> NewContextAsync(ViewportSize viewport, ColorScheme scheme) =>
        chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport,
            ColorScheme = scheme,
            DeviceScaleFactor = 1,
            Locale = "en-GB",
        });

    /// <summary>Console errors (CSP violations among them) and script errors on the page.</summary>
    private static List<string> Watch(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // A 4xx answer is logged as "Failed to load resource": the error pages mean to answer so.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        return problems;
    }

    private async Task<string> IssueAsync(object body)
    {
        using var response = await host.Api.PostAsJsonAsync("link-tokens", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["url"]!.GetValue<string>();
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folders = new List<string> { Path.Combine(AppContext.BaseDirectory, "screenshots") };
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS_SCREENSHOTS") == "1")
        {
            folders.Add(Path.Combine(RepositoryRoot(), "docs", "images"));
        }

        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllBytesAsync(Path.Combine(folder, name + ".png"), png);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
