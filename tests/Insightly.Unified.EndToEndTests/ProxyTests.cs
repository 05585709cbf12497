using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FakeInsightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.TestData;

namespace Insightly.Unified.EndToEndTests;

/// <summary>The passthrough proxy over real HTTP: the local host, the fake Insightly recording what it received, and Azurite.</summary>
public sealed class ProxyTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task A_read_passes_Insightlys_status_body_and_listed_headers_through_with_the_query_minus_ours()
    {
        var (instance, key, id) = await LinkedAccountAsync();
        instance.SeedContacts(5);

        using var response = await host.Api.GetAsync($"proxy/Contacts?top=2&integrated_account_id={id}&count_total=true&code=function-key");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Single(key, "GET", "Contacts");
        Assert.Equal("?top=2&count_total=true", sent.QueryString);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")), sent.Header("Authorization"));
        var direct = await DirectAsync(instance, key, "Contacts?top=2&count_total=true");
        Assert.Equal(await direct.Content.ReadAsStringAsync(), body);
        Assert.Equal(direct.Headers.ETag, response.Headers.ETag);
        Assert.Equal("5", response.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
        Assert.True(response.Headers.Contains("X-RateLimit-Limit") && response.Headers.Contains("X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task A_write_sends_exactly_the_callers_body_and_content_type_and_none_of_its_sensitive_or_hop_by_hop_headers()
    {
        var (instance, key, id) = await LinkedAccountAsync();
        const string body = """{"ORGANISATION_NAME": "Zoë's Café — naïve"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "proxy/Organisations")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "caller-token");
        foreach (var (name, value) in new Dictionary<string, string>
                 {
                     ["Cookie"] = "session=caller",
                     ["x-functions-key"] = "function-key",
                     ["X-Integrated-Account-Id"] = id,
                     ["X-Forwarded-For"] = "203.0.113.7",
                     ["X-Forwarded-Host"] = "evil.example",
                     ["X-Forwarded-Proto"] = "http",
                     ["Keep-Alive"] = "timeout=5",
                     ["Proxy-Authorization"] = "Basic eA==",
                     ["Proxy-Connection"] = "keep-alive",
                     ["Accept-Encoding"] = "gzip",
                     ["X-Custom"] = "caller-only",
                 })
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.Connection.Add("X-Custom");

        using var response = await host.Api.SendAsync(request);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var organisationId = created["ORGANISATION_ID"]!.GetValue<long>();
        Assert.Equal("Zoë's Café — naïve", instance.Find("Organisations", organisationId)!["ORGANISATION_NAME"]!.GetValue<string>());
        var sent = Single(key, "POST", "Organisations");
        Assert.Equal(body, sent.Body);
        Assert.Equal("application/json; charset=utf-8", sent.Header("Content-Type"));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")), sent.Header("Authorization"));
        Assert.Equal(host.Insightly.Address.Authority, sent.Header("Host"));
        Assert.Equal("", sent.QueryString);
        var unexpected = sent.Headers.Keys
            .Except(["Host", "Authorization", "Accept", "Content-Type", "Content-Length", "traceparent", "tracestate"], StringComparer.OrdinalIgnoreCase);
        Assert.Empty(unexpected);
    }

    [Fact]
    public async Task Set_Cookie_and_hop_by_hop_headers_from_Insightly_never_come_back_and_the_listed_ones_do_as_sent()
    {
        var (_, key, id) = await LinkedAccountAsync();
        host.Insightly.AddCannedResponse(new CannedResponse(key, "Contacts", Status: 200)
        {
            BodyBytes = 1000,
            ContentType = "application/vnd.insightly+json; charset=utf-8",
            Headers = new Dictionary<string, string>
            {
                ["ETag"] = "\"canned\"",
                ["X-Total-Count"] = "123",
                ["X-RateLimit-Limit"] = "40000",
                ["X-RateLimit-Remaining"] = "39000",
                ["Retry-After"] = "7",
                ["Set-Cookie"] = "ARRAffinity=insightly; Path=/",
                ["Keep-Alive"] = "timeout=5",
                ["Proxy-Authenticate"] = "Basic realm=\"insightly\"",
                ["X-Powered-By"] = "ASP.NET",
                ["X-AspNet-Version"] = "4.0.30319",
            },
        });

        using var response = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"canned\"", response.Headers.ETag!.ToString());
        Assert.Equal("123", response.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal("40000", response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("39000", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
        Assert.Equal("application/vnd.insightly+json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(1000, response.Content.Headers.ContentLength);
        foreach (var name in new[] { "Set-Cookie", "Keep-Alive", "Proxy-Authenticate", "X-Powered-By", "X-AspNet-Version" })
        {
            Assert.False(response.Headers.Contains(name), $"{name} came back");
        }

        Assert.Equal(1000, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_PUT_is_retried_on_server_errors_with_its_whole_body_and_If_Match_each_time()
    {
        var (instance, key, id) = await LinkedAccountAsync();
        var organisationId = instance.SeedOrganisations(1)[0]["ORGANISATION_ID"]!.GetValue<long>();
        host.Insightly.AddFault(new ScriptedFault(key, "Organisations", 503, 2) { Method = "PUT" });
        var body = $$"""{"ORGANISATION_ID": {{organisationId}}, "WEBSITE": "https://example.com"}""";

        using var request = new HttpRequestMessage(HttpMethod.Put, $"proxy/Organisations?integrated_account_id={id}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        using var response = await host.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempts = Sent(key, "PUT", "Organisations");
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, attempt => Assert.Equal((body, "*"), (attempt.Body, attempt.Header("If-Match"))));
        Assert.Equal("https://example.com", instance.Find("Organisations", organisationId)!["WEBSITE"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_GET_is_retried_after_Retry_After_on_429_and_a_DELETE_on_5xx()
    {
        var (instance, key, id) = await LinkedAccountAsync();
        var organisationId = instance.SeedOrganisations(1)[0]["ORGANISATION_ID"]!.GetValue<long>();
        host.Insightly.AddFault(new ScriptedFault(key, "Users/Me", 429, 2, RetryAfter: "1"));
        host.Insightly.AddFault(new ScriptedFault(key, $"Organisations/{organisationId}", 502, 1) { Method = "DELETE" });

        using var read = await host.Api.GetAsync($"proxy/Users/Me?integrated_account_id={id}");
        using var delete = await host.Api.DeleteAsync($"proxy/Organisations/{organisationId}?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(3, Sent(key, "GET", "Users/Me").Count - 1); // one more from linking
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(2, Sent(key, "DELETE", $"Organisations/{organisationId}").Count);
        Assert.Null(instance.Find("Organisations", organisationId));
    }

    [Theory]
    [InlineData("POST", 503)]
    [InlineData("PATCH", 500)]
    [InlineData("POST", 429)]
    public async Task POST_and_PATCH_are_never_retried_and_Insightlys_error_comes_back_as_it_sent_it(string method, int status)
    {
        var (_, key, id) = await LinkedAccountAsync();
        host.Insightly.AddFault(new ScriptedFault(key, "Organisations", status, 5, RetryAfter: status == 429 ? "1" : null) { Method = method });

        using var response = await host.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"proxy/Organisations?integrated_account_id={id}")
        {
            Content = new StringContent("""{"ORGANISATION_NAME": "Once"}""", Encoding.UTF8, "application/json"),
        });

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal($$"""{"Message":"Scripted failure {{status}}."}""", await response.Content.ReadAsStringAsync());
        Assert.Single(Sent(key, method, "Organisations"));
    }

    [Fact]
    public async Task Insightlys_own_4xx_answers_and_even_a_broken_body_come_back_unchanged()
    {
        var (_, key, id) = await LinkedAccountAsync();
        host.Insightly.AddFault(ScriptedFault.MalformedJson(key, "Users/Me"));

        using var missing = await host.Api.GetAsync($"proxy/Contacts/999999?integrated_account_id={id}");
        using var refused = await host.Api.PostAsync($"proxy/Contacts?integrated_account_id={id}",
            new StringContent("""{"first_name": "lower case"}""", Encoding.UTF8, "application/json"));
        using var broken = await host.Api.GetAsync($"proxy/Users/Me?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("No Contact with id 999999 was found.", JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["Message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("first_name", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        var brokenBody = await broken.Content.ReadAsStringAsync();
        Assert.NotEmpty(brokenBody);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(brokenBody));
    }

    [Fact]
    public async Task A_spent_daily_quota_is_the_contracts_429_from_the_first_call_and_later_ones_do_not_call_Insightly()
    {
        var (instance, key, id) = await LinkedAccountAsync();
        instance.ExhaustDailyQuota();

        using var first = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");
        using var second = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");

        var (firstError, secondError) = (await Json.ReadAsync(first), await Json.ReadAsync(second));

        foreach (var (answer, error) in new[] { (first, firstError), (second, secondError) })
        {
            Json.AssertError(error, 429, "rate_limited");
            Assert.Equal("daily", error["details"].Str("scope"));
            Assert.NotNull(answer.Headers.RetryAfter?.Delta);
        }

        Assert.Equal((true, 429), (firstError["remote_error"]!.GetValue<bool>(), firstError["remote_status"]!.GetValue<int>()));
        Assert.Equal("API daily request limit exceeded.", firstError["raw_response"]!["Message"]!.GetValue<string>());
        Assert.Single(Sent(key, "GET", "Contacts"));
    }

    [Fact]
    public async Task An_upstream_that_does_not_answer_in_time_is_504_upstream_timeout()
    {
        var (_, key, id) = await LinkedAccountAsync();
        host.Insightly.AddFault(new ScriptedFault(key, "Organisations", 200, 1, Delay: TimeSpan.FromSeconds(20)) { Method = "POST" });

        using var response = await host.Api.PostAsync($"proxy/Organisations?integrated_account_id={id}",
            new StringContent("""{"ORGANISATION_NAME": "Slow"}""", Encoding.UTF8, "application/json"));

        Json.AssertError(await Json.ReadAsync(response), 504, "upstream_timeout");
    }

    [Fact]
    public async Task An_answer_that_breaks_off_mid_body_aborts_the_callers_response_instead_of_completing_it()
    {
        var (_, key, id) = await LinkedAccountAsync();
        host.Insightly.AddCannedResponse(new CannedResponse(key, "Contacts") { BodyBytes = 4 * MiB, AbortAfterBytes = 1 * MiB });

        using var response = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4 * MiB, response.Content.Headers.ContentLength);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
        Assert.Single(Sent(key, "GET", "Contacts"));
        Assert.Contains(host.LogLines, line => line.Contains($"for account {id} broke off while being passed on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_401_flips_the_account_to_needs_reauth_and_later_calls_stay_local()
    {
        var (_, key, id) = await LinkedAccountAsync();
        host.Insightly.RevokeKey(key);

        using var first = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");
        var sentAfterFirst = Sent(key, "GET", "Contacts").Count;
        using var second = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");

        Json.AssertError(await Json.ReadAsync(first), 401, "account_needs_reauth");
        Json.AssertError(await Json.ReadAsync(second), 401, "account_needs_reauth");
        Assert.Equal("needs_reauth", (await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{id}"))).Str("status"));
        Assert.Equal(1, sentAfterFirst);
        Assert.Equal(sentAfterFirst, Sent(key, "GET", "Contacts").Count);
    }

    [Fact]
    public async Task Missing_unknown_and_conflicting_accounts_are_refused_before_any_upstream_call()
    {
        var (_, key, id) = await LinkedAccountAsync();
        var before = host.Insightly.Requests.Count;

        using var missing = await host.Api.GetAsync("proxy/Contacts");
        using var unknown = await host.Api.GetAsync("proxy/Contacts?integrated_account_id=ia-aaaaaaaaaaaaaaaaaaaaaaaa");
        using var malformed = await host.Api.GetAsync("proxy/Contacts?integrated_account_id=../../x");
        using var conflicting = await host.Api.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"proxy/Contacts?integrated_account_id={id}")
        {
            Headers = { { "X-Integrated-Account-Id", "ia-bbbbbbbbbbbbbbbbbbbbbbbb" } },
        });
        using var noPath = await host.Api.GetAsync($"proxy?integrated_account_id={id}");
        using var head = await host.Api.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"proxy/Contacts?integrated_account_id={id}"));

        Json.AssertError(await Json.ReadAsync(missing), 400, "missing_parameter");
        Json.AssertError(await Json.ReadAsync(unknown), 404, "account_not_found");
        Json.AssertError(await Json.ReadAsync(malformed), 404, "account_not_found");
        Json.AssertError(await Json.ReadAsync(conflicting), 400, "invalid_parameter");
        Json.AssertError(await Json.ReadAsync(noPath), 400, "missing_parameter");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.StatusCode);
        Assert.Equal("DELETE, GET, PATCH, POST, PUT", head.Content.Headers.Allow.Count > 0
            ? string.Join(", ", head.Content.Headers.Allow)
            : head.Headers.GetValues("Allow").Single());
        Assert.Equal(before, host.Insightly.Requests.Count);
    }

    [Fact]
    public async Task Every_hostile_path_sent_byte_for_byte_is_refused_with_a_4xx_and_nothing_reaches_Insightly()
    {
        var (_, key, id) = await LinkedAccountAsync();
        var server = new Uri(host.Api.BaseAddress!.GetLeftPart(UriPartial.Authority));
        var failures = new List<string>();

        // Raw CR/LF would end the request line itself: that is not a path any more, so it is left to the unit table.
        foreach (var path in HostileProxyPaths.All.Where(p => !p.Contains('\r', StringComparison.Ordinal) && !p.Contains('\n', StringComparison.Ordinal)))
        {
            var response = await RawHttp.SendAsync(server, "GET", $"/api/proxy/{path}?integrated_account_id={id}");
            var error = response.Json();
            // The server itself refuses some request lines (raw control characters, %00) with a bare 400 before
            // any app code runs; everything that reaches the app must carry the contract's error shape. Paths whose
            // dot segments climb above /api/proxy/ are a different URL once normalised, and reach the catch-all.
            var refused = response.Status is >= 400 and < 500
                && (error is null ? response.Status == 400 && response.Body.Length == 0
                    : error["status_code"]?.GetValue<int>() == response.Status && error["error"]?.GetValue<string>() is "invalid_parameter" or "unknown_resource");
            if (!refused)
            {
                failures.Add($"{path} → {response.Status} {response.Body}");
            }
        }

        Assert.Empty(failures);
        Assert.DoesNotContain(host.Insightly.Requests, r => r.ApiKey == key && r.Path != "Users/Me" && r.Path != "Instance");
    }

    [Fact]
    public async Task A_declared_body_over_10_MiB_is_413_before_a_byte_of_it_is_sent()
    {
        var (_, key, id) = await LinkedAccountAsync();
        var server = new Uri(host.Api.BaseAddress!.GetLeftPart(UriPartial.Authority));

        // Only the headers go out: the answer must come without the proxy waiting for (or reading) the body.
        var response = await RawHttp.SendAsync(server, "POST", $"/api/proxy/Organisations?integrated_account_id={id}",
            ["Content-Type: application/json", $"Content-Length: {11 * MiB}"]);

        Assert.Equal(413, response.Status);
        Json.AssertError(response.Json()!, 413, "payload_too_large");
        Assert.Empty(Sent(key, "POST", "Organisations"));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task A_chunked_body_that_passes_10_MiB_is_413_and_never_reaches_Insightly(string method)
    {
        var (_, key, id) = await LinkedAccountAsync();
        var content = new GeneratedContent(11 * MiB) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

        HttpResponseMessage? response = null;
        try
        {
            response = await host.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"proxy/Organisations?integrated_account_id={id}") { Content = content });
        }
        catch (HttpRequestException)
        {
            // The server may close the connection as soon as it has answered; then the client never sees the answer.
        }

        if (response is not null)
        {
            Json.AssertError(await Json.ReadAsync(response), 413, "payload_too_large");
            response.Dispose();
        }

        Assert.Empty(Sent(key, method, "Organisations"));
    }

    [Fact]
    public async Task A_body_just_under_10_MiB_streams_through_to_Insightly_intact()
    {
        var (_, key, id) = await LinkedAccountAsync();
        var name = new string('x', (int)(10 * MiB) - 100);
        var body = Encoding.UTF8.GetBytes($$"""{"ORGANISATION_NAME": "{{name}}"}""");

        using var response = await host.Api.PostAsync($"proxy/Organisations?integrated_account_id={id}",
            new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Single(key, "POST", "Organisations");
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(Encoding.UTF8.GetBytes(sent.Body)));
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Header("Content-Length"));
    }

    private async Task<(FakeInstance Instance, string Key, string Id)> LinkedAccountAsync()
    {
        var (instance, key) = host.NewInstance();
        instance.RequestsPerSecond = 1000;
        var id = (await host.LinkAsync(key)).Str("id");
        return (instance, key, id);
    }

    private List<RecordedRequest> Sent(string key, string method, string path) =>
        host.Insightly.Requests.Where(r => r.ApiKey == key && r.Method == method && r.Path == path).ToList();

    private RecordedRequest Single(string key, string method, string path) => Assert.Single(Sent(key, method, path));

    private async Task<HttpResponseMessage> DirectAsync(FakeInstance instance, string key, string pathAndQuery)
    {
        using var client = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, host.Insightly.BaseUrlTemplate.Replace("{pod}", instance.Pod, StringComparison.Ordinal) + pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>A body of the given size, sent chunked (no length), generated as it goes.</summary>
    private sealed class GeneratedContent(long bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            for (long sent = 0; sent < bytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>A host whose Insightly base points at a port where nothing listens.</summary>
public sealed class UnreachableInsightlyFixture : ApiHostFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Insightly:BaseUrlTemplate"] = $"http://127.0.0.1:{ClosedPort()}/{{pod}}/v3.1/",
    };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

public sealed class ProxyUnreachableTests(UnreachableInsightlyFixture host) : IClassFixture<UnreachableInsightlyFixture>
{
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task An_unreachable_Insightly_is_503_upstream_unavailable(string method)
    {
        var (instance, key) = host.NewInstance();
        var id = await host.InsertAsync(instance, key);

        using var response = await host.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"proxy/Contacts?integrated_account_id={id}")
        {
            Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
        });

        Json.AssertError(await Json.ReadAsync(response), 503, "upstream_unavailable");
        Assert.Equal(AccountStatus.Active, (await host.GetService<AccountRepository>().FindAsync(id, default))!.Status);
    }
}
