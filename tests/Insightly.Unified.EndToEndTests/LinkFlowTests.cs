using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Link;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// The link flow over real HTTP (contract section 7): the SaaS backend issues a link token, the end customer
/// submits the hosted form, and the account is stored for the token's tenant, once.
/// </summary>
public sealed class LinkFlowTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>, IDisposable
{
    private const string NaApiUrl = "https://api.na1.insightly.com/v3.1/";

    // The browser's view: redirects are answers to read, not to follow.
    private readonly HttpClient browser = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Api.BaseAddress };

    public void Dispose() => browser.Dispose();

    [Fact]
    public async Task A_token_and_the_form_create_the_account_for_the_tokens_tenant()
    {
        var (instance, key) = host.NewInstance();
        var issued = await IssueAsync(new { tenant_id = "tenant-form", label = "Acme CRM" });

        Assert.StartsWith("lt_", issued.Str("link_token"), StringComparison.Ordinal);
        Assert.Equal(new Uri(host.Api.BaseAddress!, "link?token=" + issued.Str("link_token")), new Uri(issued.Str("url")));
        var expiresAt = DateTimeOffset.Parse(issued.Str("expires_at"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));

        using var page = await browser.GetAsync(issued.Str("url"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("User Settings", html, StringComparison.Ordinal);
        Assert.Contains("name=\"api_key\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"api_url\"", html, StringComparison.Ordinal);

        using var submitted = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl);
        var done = await submitted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Contains("Insightly connected", done, StringComparison.Ordinal);

        var account = Assert.Single(await AccountsOfAsync("tenant-form"));
        Assert.Equal(("Acme CRM", "na1", "active", instance.Subdomain), (account.Str("label"), account.Str("pod"), account.Str("status"), account["instance"].Str("subdomain")));
        var token = await TokenRowAsync(issued.Str("link_token"));
        Assert.Equal((LinkTokenState.Used, account.Str("id")), (token.GetString("State"), token.GetString("LinkedAccountId")));
    }

    [Fact]
    public async Task Success_redirects_to_the_redirect_url_with_the_account_id()
    {
        var (_, key) = host.NewInstance();
        var issued = await IssueAsync(new { tenant_id = "tenant-redirect", redirect_url = "https://saas.example/crm/connected?state=abc" });

        using var page = await browser.GetAsync(issued.Str("url"));
        Assert.Contains("form-action 'self' https://saas.example;", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var submitted = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl);
        var id = Assert.Single(await AccountsOfAsync("tenant-redirect")).Str("id");
        Assert.Equal(HttpStatusCode.SeeOther, submitted.StatusCode);
        Assert.Equal(new Uri($"https://saas.example/crm/connected?state=abc&integrated_account_id={id}"), submitted.Headers.Location);
        Assert.Equal("no-store", submitted.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_replayed_token_is_refused_and_stores_nothing()
    {
        var (_, key) = host.NewInstance();
        var (_, otherKey) = host.NewInstance();
        var issued = await IssueAsync(new { tenant_id = "tenant-replay" });
        using (var first = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var secrets = await CountAccountSecretsAsync();
        host.Insightly.ClearRequests();
        using var replay = await SubmitAsync(issued.Str("link_token"), otherKey, NaApiUrl);
        using var reopened = await browser.GetAsync(issued.Str("url"));

        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
        Assert.Contains("already been used", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, reopened.StatusCode);
        Assert.Single(await AccountsOfAsync("tenant-replay"));
        Assert.Equal(secrets, await CountAccountSecretsAsync());
        Assert.Empty(host.Insightly.Requests);
    }

    [Fact]
    public async Task An_expired_token_is_refused_and_stores_nothing()
    {
        var (_, key) = host.NewInstance();
        // A correctly signed token, issued by this host's key, whose time is up.
        var (token, claims) = await host.GetService<LinkTokenCodec>().CreateAsync(DateTimeOffset.UtcNow.AddSeconds(-1), default);
        await host.GetService<ILinkTokenStore>().InsertAsync(new LinkTokenRecord
        {
            Id = claims.Id, TenantId = "tenant-expired", CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-31), ExpiresAt = claims.ExpiresAt, State = LinkTokenState.Issued,
        }, default);
        var secrets = await CountAccountSecretsAsync();
        host.Insightly.ClearRequests();

        using var page = await browser.GetAsync("link?token=" + token);
        using var submitted = await SubmitAsync(token, key, NaApiUrl);

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, submitted.StatusCode);
        Assert.Contains("expired", await submitted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AccountsOfAsync("tenant-expired"));
        Assert.Equal(secrets, await CountAccountSecretsAsync());
        Assert.Empty(host.Insightly.Requests);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("made-up")]
    public async Task A_forged_token_is_refused_and_stores_nothing(string forgery)
    {
        var (_, key) = host.NewInstance();
        var real = (await IssueAsync(new { tenant_id = "tenant-forged" })).Str("link_token");
        var token = forgery switch
        {
            "flip" => real[..10] + (real[10] == 'A' ? 'B' : 'A') + real[11..],
            "truncate" => real[..^2],
            _ => "lt_" + Convert.ToBase64String(new byte[41]).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        };
        var secrets = await CountAccountSecretsAsync();
        host.Insightly.ClearRequests();

        using var page = await browser.GetAsync("link?token=" + Uri.EscapeDataString(token));
        using var submitted = await SubmitAsync(token, key, NaApiUrl);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, submitted.StatusCode);
        Assert.Contains("not valid", await submitted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AccountsOfAsync("tenant-forged"));
        Assert.Equal(secrets, await CountAccountSecretsAsync());
        Assert.Empty(host.Insightly.Requests);
    }

    [Fact]
    public async Task Of_concurrent_submissions_of_one_token_exactly_one_stores_an_account()
    {
        var keys = Enumerable.Range(0, 6).Select(_ => host.NewInstance().Key).ToList();
        var issued = await IssueAsync(new { tenant_id = "tenant-race" });

        var responses = await Task.WhenAll(keys.Select(key => SubmitAsync(issued.Str("link_token"), key, NaApiUrl)));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Single(statuses, s => s == HttpStatusCode.OK);
        Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.Contains(s, new[] { HttpStatusCode.Conflict, HttpStatusCode.Gone }));
        Assert.Single(await AccountsOfAsync("tenant-race"));
    }

    [Fact]
    public async Task A_wrong_key_shows_the_form_again_with_the_url_kept_and_the_key_not_echoed_and_the_token_still_works()
    {
        var (_, key) = host.NewInstance();
        var issued = await IssueAsync(new { tenant_id = "tenant-wrong-key" });

        using var refused = await SubmitAsync(issued.Str("link_token"), "wrong-key-9f1c77", NaApiUrl);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Insightly did not accept this API key", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{NaApiUrl}\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{issued.Str("link_token")}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key-9f1c77", html, StringComparison.Ordinal);
        Assert.Empty(await AccountsOfAsync("tenant-wrong-key"));

        using var retried = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Single(await AccountsOfAsync("tenant-wrong-key"));
    }

    [Fact]
    public async Task A_key_from_another_pod_is_named_as_a_wrong_pod_and_the_url_is_kept()
    {
        var (_, key) = host.NewInstance("eu1");
        var issued = await IssueAsync(new { tenant_id = "tenant-wrong-pod" });

        using var refused = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl);
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("The API URL does not match", html, StringComparison.Ordinal);
        Assert.Contains("pod &#x27;eu1&#x27;, not &#x27;na1&#x27;", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"api_url-hint api_url-error\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{NaApiUrl}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(key, html, StringComparison.Ordinal);
        Assert.Empty(await AccountsOfAsync("tenant-wrong-pod"));
    }

    [Fact]
    public async Task A_malformed_api_url_is_a_specific_error_and_keeps_what_was_typed()
    {
        var (_, key) = host.NewInstance();
        var issued = await IssueAsync(new { tenant_id = "tenant-bad-url" });

        using var refused = await SubmitAsync(issued.Str("link_token"), key, "api.na1.insightly.com/v3.1");
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Check the API URL", html, StringComparison.Ordinal);
        Assert.Contains("value=\"api.na1.insightly.com/v3.1\"", html, StringComparison.Ordinal);
        Assert.Equal(LinkTokenState.Issued, (await TokenRowAsync(issued.Str("link_token"))).GetString("State"));
    }

    [Fact]
    public async Task A_reconnect_link_replaces_the_key_and_keeps_the_account_id()
    {
        var (instance, oldKey) = host.NewInstance();
        var id = (await host.LinkAsync(oldKey, tenantId: "tenant-reconnect")).Str("id");
        var newKey = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");
        host.Insightly.RevokeKey(oldKey);
        var issued = await IssueAsync(new { tenant_id = "tenant-reconnect", integrated_account_id = id, redirect_url = "https://saas.example/back" });

        using var page = await browser.GetAsync(issued.Str("url"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Reconnect your Insightly account", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{NaApiUrl}\"", html, StringComparison.Ordinal);

        using var submitted = await SubmitAsync(issued.Str("link_token"), newKey, NaApiUrl);
        Assert.Equal(HttpStatusCode.SeeOther, submitted.StatusCode);
        Assert.Equal(new Uri($"https://saas.example/back?integrated_account_id={id}"), submitted.Headers.Location);

        var account = Assert.Single(await AccountsOfAsync("tenant-reconnect"));
        Assert.Equal((id, "active", "grace@example.com"), (account.Str("id"), account.Str("status"), account["user"].Str("email")));
        host.Insightly.ClearRequests();
        await host.Api.PostAsync($"integrated-accounts/{id}/validate", null);
        Assert.All(host.Insightly.Requests, r => Assert.Equal(newKey, r.ApiKey));
    }

    [Fact]
    public async Task A_reconnect_link_with_a_key_of_another_instance_changes_nothing()
    {
        var (_, key) = host.NewInstance();
        var id = (await host.LinkAsync(key, tenantId: "tenant-reconnect-other")).Str("id");
        var issued = await IssueAsync(new { tenant_id = "tenant-reconnect-other", integrated_account_id = id });

        using var refused = await SubmitAsync(issued.Str("link_token"), host.NewInstance().Key, NaApiUrl);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("another Insightly account", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        host.Insightly.ClearRequests();
        await host.Api.PostAsync($"integrated-accounts/{id}/validate", null);
        Assert.All(host.Insightly.Requests, r => Assert.Equal(key, r.ApiKey));
    }

    [Fact]
    public async Task A_reconnect_link_is_only_issued_for_the_accounts_own_tenant()
    {
        var id = (await host.LinkAsync(host.NewInstance().Key, tenantId: "tenant-owner")).Str("id");

        using var otherTenant = await host.Api.PostAsJsonAsync("link-tokens", new { tenant_id = "tenant-intruder", integrated_account_id = id });
        Json.AssertError(await Json.ReadAsync(otherTenant), 400, "invalid_body");
        using var unknown = await host.Api.PostAsJsonAsync("link-tokens", new { tenant_id = "tenant-owner", integrated_account_id = "ia-aaaaaaaaaaaaaaaaaaaaaaaa" });
        Json.AssertError(await Json.ReadAsync(unknown), 404, "account_not_found");
    }

    [Theory]
    [InlineData("{}", "invalid_body")]
    [InlineData("{\"tenant_id\": \"t\", \"redirect_url\": \"http://saas.example/\"}", "invalid_body")]
    [InlineData("{\"tenant_id\": \"t\", \"api_key\": \"x\"}", "invalid_body")]
    [InlineData("[1]", "invalid_body")]
    public async Task A_bad_token_request_is_400_in_the_contracts_shape(string body, string error)
    {
        using var response = await host.Api.PostAsync("link-tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        Json.AssertError(await Json.ReadAsync(response), 400, error);
    }

    [Fact]
    public async Task A_cross_site_submission_is_refused_and_the_token_still_works()
    {
        var (_, key) = host.NewInstance();
        var issued = await IssueAsync(new { tenant_id = "tenant-csrf" });

        using var fetchMetadata = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl, ("Sec-Fetch-Site", "cross-site"));
        using var origin = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl, ("Origin", "https://evil.example"));
        using var opaque = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl, ("Origin", "null"));

        Assert.All(new[] { fetchMetadata, origin, opaque }, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Empty(await AccountsOfAsync("tenant-csrf"));
        Assert.Equal(LinkTokenState.Issued, (await TokenRowAsync(issued.Str("link_token"))).GetString("State"));

        var self = browser.BaseAddress!.GetLeftPart(UriPartial.Authority);
        using var sameOrigin = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl, ("Sec-Fetch-Site", "same-origin"), ("Origin", self));
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
    }

    [Fact]
    public async Task Every_page_is_unframeable_uncached_and_under_a_strict_policy()
    {
        var issued = await IssueAsync(new { tenant_id = "tenant-headers" });
        using var form = await browser.GetAsync(issued.Str("url"));
        using var problem = await browser.GetAsync("link?token=lt_nope");
        using var refused = await SubmitAsync(issued.Str("link_token"), "bad", NaApiUrl);

        foreach (var response in new[] { form, problem, refused })
        {
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.StartsWith("default-src 'none'; style-src 'sha256-", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.True(response.Headers.CacheControl!.NoStore);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task The_key_never_reaches_a_page_a_log_line_or_a_url()
    {
        var (_, key) = host.NewInstance();
        var issued = await IssueAsync(new { tenant_id = "tenant-leak", redirect_url = "https://saas.example/done" });
        var pages = new List<string>();
        using (var wrong = await SubmitAsync(issued.Str("link_token"), "leaky-link-key-5521", NaApiUrl))
        {
            pages.Add(await wrong.Content.ReadAsStringAsync());
        }

        using (var tooLong = await SubmitAsync(issued.Str("link_token"), new string('k', 300), NaApiUrl))
        {
            pages.Add(await tooLong.Content.ReadAsStringAsync());
        }

        using var done = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl);
        pages.Add(await done.Content.ReadAsStringAsync());
        var location = done.Headers.Location!.AbsoluteUri;

        Assert.All(pages, page =>
        {
            Assert.DoesNotContain("leaky-link-key-5521", page, StringComparison.Ordinal);
            Assert.DoesNotContain(new string('k', 300), page, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(key, location, StringComparison.Ordinal);
        Assert.All(host.LogLines, line =>
        {
            Assert.DoesNotContain(key, line, StringComparison.Ordinal);
            Assert.DoesNotContain("leaky-link-key-5521", line, StringComparison.Ordinal);
        });
    }

    public static TheoryData<string, string?, int> BadSubmissions => new()
    {
        { "text/plain", "token=x", 415 },
        { "application/json", "{\"token\":\"x\"}", 415 },
        { "application/x-www-form-urlencoded", "token=a&token=b&api_key=k&api_url=u", 400 },
        { "application/x-www-form-urlencoded", "token=a&api_key=k&api_url=u&tenant_id=someone-else", 400 },
        { "application/x-www-form-urlencoded", "api_key=k&api_url=u", 400 },
        { "application/x-www-form-urlencoded", "token=lt_x&api_key=k&api_url=u", 404 },
        { "application/x-www-form-urlencoded", "token=%ZZ%&api_key=%", 404 },
        { "application/x-www-form-urlencoded", "a=" + new string('x', 20_000), 413 },
        { "application/x-www-form-urlencoded", "", 400 },
        { "application/x-www-form-urlencoded", string.Join('&', Enumerable.Range(0, 40).Select(i => $"f{i}=1")), 400 },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task Bad_input_gets_a_4xx_page_never_a_500(string contentType, string? body, int status)
    {
        using var content = new StringContent(body ?? "", Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await browser.PostAsync("link", content);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_in_the_form_is_a_400_page()
    {
        using var content = new ByteArrayContent([.. "token=lt_x&api_key="u8, 0xC3, 0x28]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await browser.PostAsync("link", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("link")]
    [InlineData("link?token=")]
    [InlineData("link?token=a&token=b")]
    public async Task Opening_the_page_without_one_token_is_a_400_page(string path)
    {
        using var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("incomplete", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_left_by_a_submission_that_died_is_taken_again_once_its_lease_is_over()
    {
        var (_, key) = host.NewInstance();
        var issued = await IssueAsync(new { tenant_id = "tenant-lease" });
        var reserved = AccountIds.New();
        await AbandonClaimAsync(issued.Str("link_token"), TimeSpan.FromMinutes(1), reserved);

        using (var held = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl))
        {
            Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
        }

        await AbandonClaimAsync(issued.Str("link_token"), LinkTokens.ClaimLease, reserved);
        using var submitted = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl);

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal(reserved, Assert.Single(await AccountsOfAsync("tenant-lease")).Str("id"));
        Assert.Equal(LinkTokenState.Used, (await TokenRowAsync(issued.Str("link_token"))).GetString("State"));
    }

    [Fact]
    public async Task A_link_whose_account_was_stored_before_its_claim_died_redirects_to_it_and_stores_no_other()
    {
        var (_, key) = host.NewInstance();
        var stored = (await host.LinkAsync(key, tenantId: "tenant-stored")).Str("id");
        var issued = await IssueAsync(new { tenant_id = "tenant-stored", redirect_url = "https://saas.example/done" });
        await AbandonClaimAsync(issued.Str("link_token"), LinkTokens.ClaimLease, stored);
        host.Insightly.ClearRequests();

        using var submitted = await SubmitAsync(issued.Str("link_token"), key, NaApiUrl);

        Assert.Equal(HttpStatusCode.SeeOther, submitted.StatusCode);
        Assert.Equal(new Uri($"https://saas.example/done?integrated_account_id={stored}"), submitted.Headers.Location);
        Assert.Single(await AccountsOfAsync("tenant-stored"));
        Assert.DoesNotContain(host.Insightly.Requests, r => r.ApiKey == key);
        Assert.Equal((LinkTokenState.Used, stored), ((await TokenRowAsync(issued.Str("link_token"))).GetString("State"), (await TokenRowAsync(issued.Str("link_token"))).GetString("LinkedAccountId")));
    }

    /// <summary>The token's row as a submission leaves it when its process dies after claiming it <paramref name="ago"/>.</summary>
    private async Task AbandonClaimAsync(string token, TimeSpan ago, string reservedAccountId)
    {
        var row = await TokenRowAsync(token);
        row["State"] = LinkTokenState.Claimed;
        row["ClaimedAt"] = DateTimeOffset.UtcNow - ago;
        row["LinkedAccountId"] = reservedAccountId;
        await host.LinkTokensTable.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
    }

    private async Task<JsonObject> IssueAsync(object body)
    {
        using var response = await host.Api.PostAsJsonAsync("link-tokens", body);
        var issued = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Issuing failed: {(int)response.StatusCode} {issued.ToJsonString()}");
        return issued;
    }

    private Task<HttpResponseMessage> SubmitAsync(string token, string apiKey, string apiUrl, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "link")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["api_key"] = apiKey, ["api_url"] = apiUrl }),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return browser.SendAsync(request);
    }

    private async Task<List<JsonNode>> AccountsOfAsync(string tenant) =>
        (await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts?tenant_id={tenant}")))["result"]!.AsArray().Select(a => a!).ToList();

    private async Task<TableEntity> TokenRowAsync(string token)
    {
        var claims = await host.GetService<LinkTokenCodec>().ReadAsync(token, default);
        return (await host.LinkTokensTable.GetEntityAsync<TableEntity>("linktoken", claims!.Id)).Value;
    }

    private async Task<int> CountAccountSecretsAsync()
    {
        var count = 0;
        await foreach (var row in host.SecretsTable.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count += row.RowKey.StartsWith("signing-key-", StringComparison.Ordinal) ? 0 : 1;
        }

        return count;
    }
}
