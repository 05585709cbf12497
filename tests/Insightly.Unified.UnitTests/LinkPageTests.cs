using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Link;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace Insightly.Unified.UnitTests;

/// <summary>The link-token request, the page's HTML and headers, and the cross-site check.</summary>
public sealed class LinkPageTests
{
    [Theory]
    [InlineData("https://saas.example/connected?state=42#done", true, true)]
    [InlineData("https://saas.example/connected", false, true)]
    [InlineData("http://localhost:3000/connected", true, true)]
    [InlineData("http://127.0.0.1:3000/connected", true, true)]
    [InlineData("http://localhost:3000/connected", false, false)]
    [InlineData("http://saas.example/connected", true, false)]
    [InlineData("javascript:alert(1)", true, false)]
    [InlineData("/relative/path", true, false)]
    [InlineData("https://user:pass@saas.example/", true, false)]
    [InlineData("https://saas.example/?integrated_account_id=ia-x", true, false)]
    public void Redirect_urls_are_https_or_loopback_http_in_development(string url, bool developmentStore, bool accepted)
    {
        var body = new JsonObject { ["tenant_id"] = "t", ["redirect_url"] = url };
        if (accepted)
        {
            Assert.Equal(new Uri(url), LinkTokenRequest.Parse(body, developmentStore).RedirectUrl);
        }
        else
        {
            var error = Assert.Throws<ApiException>(() => LinkTokenRequest.Parse(body, developmentStore));
            Assert.Equal((400, ErrorCodes.InvalidBody), (error.StatusCode, error.Error));
        }
    }

    [Theory]
    [InlineData("00:30:00", true)]
    [InlineData("00:01:00", true)]
    [InlineData("00:00:30", false)]
    [InlineData("8.00:00:00", false)]
    public void The_token_lifetime_is_kept_in_range(string lifetime, bool valid) =>
        Assert.Equal(valid, new LinkFlowOptions { TokenLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture) }.IsValid());

    [Theory]
    [InlineData(null, false, true)]
    [InlineData(null, true, false)]
    [InlineData("https://crm-api.example.com", true, true)]
    [InlineData("http://localhost:7071", false, true)]
    [InlineData("http://crm-api.example.com", true, false)]
    [InlineData("https://crm-api.example.com/?x=1", false, false)]
    [InlineData("https://user@crm-api.example.com", false, false)]
    [InlineData("ftp://crm-api.example.com", false, false)]
    public void The_public_address_is_a_plain_url_and_https_and_required_with_Key_Vault(string? publicBaseUrl, bool keyVault, bool valid)
    {
        var options = new PublicUrlOptions { PublicBaseUrl = publicBaseUrl is null ? null : new Uri(publicBaseUrl) };
        Assert.Equal(valid, options.IsValid(keyVault, out var problem));
        Assert.Equal(valid, problem is null);
    }

    [Fact]
    public void Link_urls_start_with_the_public_address_whatever_host_the_worker_sees()
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = "http";
        request.Host = new HostString("127.0.0.1:34567");

        Assert.Equal(new Uri("https://crm-api.example.com/api/link?token=lt_x"), Urls("https://crm-api.example.com").For(request, "api/link?token=lt_x"));
        Assert.Equal(new Uri("http://127.0.0.1:34567/api/link?token=lt_x"), Urls(null).For(request, "api/link?token=lt_x"));
    }

    [Fact]
    public void A_token_request_needs_a_tenant_and_refuses_unknown_fields()
    {
        Assert.Equal(ErrorCodes.InvalidBody, Assert.Throws<ApiException>(() => LinkTokenRequest.Parse(new JsonObject { ["label"] = "x" }, false)).Error);
        Assert.Equal(ErrorCodes.InvalidBody, Assert.Throws<ApiException>(() => LinkTokenRequest.Parse(new JsonObject { ["tenant_id"] = "t", ["api_key"] = "k" }, false)).Error);
        var grant = LinkTokenRequest.Parse(new JsonObject { ["tenant_id"] = " t ", ["label"] = "Acme", ["integrated_account_id"] = "ia-abc" }, false);
        Assert.Equal(new LinkGrant("t", "Acme", null, "ia-abc"), grant);
    }

    [Fact]
    public void Everything_written_into_the_form_is_html_encoded()
    {
        var html = LinkPageHtml.Form(new LinkFormView("/api/link", "lt_\"><script>", Reconnect: false, DateTimeOffset.UnixEpoch,
            ApiUrl: "https://x\"><script>alert(1)</script>", new LinkPageError("<b>t</b>", "<i>m</i>", "api_url")));

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"><script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;t&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<script>"));
    }

    [Fact]
    public void An_error_ties_itself_to_its_field_and_focuses_it()
    {
        var html = LinkPageHtml.Form(new LinkFormView("/api/link", "lt_x", false, DateTimeOffset.UnixEpoch, "https://api.na1.insightly.com/v3.1/",
            new LinkPageError("Insightly did not accept this API key", "Copy it again.", "api_key")));

        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"api_key-hint api_key-error\" autofocus", html, StringComparison.Ordinal);
        Assert.Contains("value=\"https://api.na1.insightly.com/v3.1/\"", html, StringComparison.Ordinal);
        Assert.StartsWith("<!doctype html><html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>Error: Connect your Insightly account</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_field_is_never_given_a_value()
    {
        var html = LinkPageHtml.Form(new LinkFormView("/api/link", "lt_x", false, DateTimeOffset.UnixEpoch, null, null));
        var keyInput = System.Text.RegularExpressions.Regex.Match(html, "<input id=\"api_key\"[^>]*>").Value;
        Assert.DoesNotContain("value=", keyInput, StringComparison.Ordinal);
        Assert.Contains("type=\"password\"", keyInput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_response_carries_the_security_headers()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await new HtmlPageResult(200, "<p>x</p>", ["https://saas.example"])
            .ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        var headers = context.Response.Headers;
        var csp = headers.ContentSecurityPolicy.ToString();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self' https://saas.example;", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
        Assert.Matches("style-src 'sha256-[A-Za-z0-9+/]+=*'", csp);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", headers.XFrameOptions.ToString());
        Assert.Equal("no-store", headers.CacheControl.ToString());
        Assert.Equal("same-origin", headers["Referrer-Policy"].ToString());
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.Equal("text/html; charset=utf-8", context.Response.ContentType);
    }

    [Fact]
    public async Task A_redirect_carries_the_same_headers_and_no_body()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await HtmlPageResult.Redirect(new Uri("https://saas.example/done?integrated_account_id=ia-x"), ["https://saas.example"])
            .ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.Equal(303, context.Response.StatusCode);
        Assert.Equal("https://saas.example/done?integrated_account_id=ia-x", context.Response.Headers.Location.ToString());
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        Assert.Equal(0, context.Response.Body.Length);
    }

    [Theory]
    [InlineData("same-origin", null, false)]
    [InlineData("none", null, false)]
    [InlineData("cross-site", null, true)]
    [InlineData("same-site", null, true)]
    [InlineData(null, "http://app.example:7071", false)]
    [InlineData(null, "http://evil.example", true)]
    [InlineData(null, "null", true)]
    [InlineData(null, null, false)]
    [InlineData("cross-site", "http://app.example:7071", true)]
    public void Cross_site_submissions_are_recognised(string? fetchSite, string? origin, bool crossSite)
    {
        var request = new DefaultHttpContext().Request;
        request.Host = new HostString("app.example:7071");
        if (fetchSite is not null)
        {
            request.Headers["Sec-Fetch-Site"] = fetchSite;
        }

        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        Assert.Equal(crossSite, CrossSiteCheck.IsCrossSite(request, Urls(null)));
    }

    [Fact]
    public void With_a_public_address_only_its_origin_counts_as_this_site()
    {
        var request = new DefaultHttpContext().Request;
        request.Host = new HostString("internal-worker:8080");
        request.Headers.Origin = "https://crm-api.example.com";
        Assert.False(CrossSiteCheck.IsCrossSite(request, Urls("https://crm-api.example.com/")));
        Assert.True(CrossSiteCheck.IsCrossSite(request, Urls(null)));
        request.Headers.Origin = "http://internal-worker:8080";
        Assert.True(CrossSiteCheck.IsCrossSite(request, Urls("https://crm-api.example.com/")));
    }

    private static PublicUrls Urls(string? publicBaseUrl) =>
        new(Microsoft.Extensions.Options.Options.Create(new PublicUrlOptions { PublicBaseUrl = publicBaseUrl is null ? null : new Uri(publicBaseUrl) }));
}
