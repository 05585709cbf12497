using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// Malformed requests across every route: each gets a 4xx in the contract's error shape (an HTML page on the
/// link page), never a 500, a stack trace or an echo of what it sent. <c>{account}</c> in a path is a real linked
/// account; <c>{key}</c> in a body is its real API key, which must never come back.
/// </summary>
public sealed class BadInputTests(BadInputTests.Fixture host) : IClassFixture<BadInputTests.Fixture>
{
    /// <summary>The host, with one linked account every malformed request may name.</summary>
    public sealed class Fixture : ApiHostFixture
    {
        public Fixture() => LinkedAccount = new(async () =>
        {
            var (_, key) = NewInstance();
            return ((await LinkAsync(key)).Str("id"), key);
        });

        public Lazy<Task<(string Account, string Key)>> LinkedAccount { get; }
    }

    private const string Json = "application/json";
    private const string Form = "application/x-www-form-urlencoded";

    private static readonly string Deep = new string('[', 200) + new string(']', 200);
    private static readonly string DeepObject = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
    private static readonly string Long = new('x', 5000);

    /// <summary>Method, path (below /api), content type (or null for no body), body.</summary>
    public static TheoryData<string, string, string?, string?> Requests()
    {
        var rows = new TheoryData<string, string, string?, string?>();
        void Add(string method, string path, string? contentType = null, string? body = null) => rows.Add(method, path, contentType, body);

        // Linking: broken and deeply nested JSON, wrong types, oversized and odd strings, invalid text.
        foreach (var body in new[]
                 {
                     "", " ", "{", "}", "[", "null", "true", "42", "\"text\"", "[]", "[{}]", "{\"api_key\":}", "{'api_key':'x'}",
                     "{\"api_key\":\"k\",}", "{\"api_key\":\"k\" \"pod\":\"na1\"}", Deep, DeepObject, "{\"api_key\":null,\"pod\":\"na1\"}",
                     "{\"api_key\":42,\"pod\":\"na1\"}", "{\"api_key\":[\"k\"],\"pod\":\"na1\"}", "{\"api_key\":{\"k\":1},\"pod\":\"na1\"}",
                     "{\"api_key\":\"\",\"pod\":\"na1\"}", "{\"api_key\":\"   \",\"pod\":\"na1\"}", $"{{\"api_key\":\"{Long}\",\"pod\":\"na1\"}}",
                     "{\"api_key\":\"k\"}", "{\"api_key\":\"k\",\"pod\":\"na1\",\"api_url\":\"https://api.na1.insightly.com/v3.1/\"}",
                     "{\"api_key\":\"k\",\"pod\":\"../eu1\"}", "{\"api_key\":\"k\",\"pod\":\"na1\\r\\nX: y\"}", "{\"api_key\":\"k\",\"pod\":\"NA 1\"}",
                     "{\"api_key\":\"k\",\"pod\":1}", "{\"api_key\":\"k\",\"api_url\":\"http://api.na1.insightly.com/v3.1/\"}",
                     "{\"api_key\":\"k\",\"api_url\":\"https://evil.example/v3.1/\"}", "{\"api_key\":\"k\",\"api_url\":\"https://k@api.na1.insightly.com/v3.1/\"}",
                     "{\"api_key\":\"k\",\"api_url\":\"javascript:alert(1)\"}", "{\"api_key\":\"k\",\"api_url\":\"\"}",
                     "{\"api_key\":\"k\",\"pod\":\"na1\",\"tenant_id\":\"" + new string('t', 129) + "\"}", "{\"api_key\":\"k\",\"pod\":\"na1\",\"tenant_id\":7}",
                     "{\"api_key\":\"k\",\"pod\":\"na1\",\"label\":false}", "{\"api_key\":\"k\",\"pod\":\"na1\",\"admin\":true}",
                     "{\"api_key\":\"k\",\"api_key\":\"other\",\"pod\":\"na1\"}", "{\"api_key\":\"\\udc00\",\"pod\":\"na1\"}", "{\"\\ud800\":1}",
                     "{\"api_key\":\"k\",\"pod\":\"na1\",\"tenant_id\":1e400}", "{\"api_key\":\"k\",\"pod\":\"na1\",\"tenant_id\":123456789012345678901234567890}",
                 })
        {
            Add("POST", "integrated-accounts", Json, body);
        }

        Add("POST", "integrated-accounts", "text/plain", "{\"api_key\":\"k\",\"pod\":\"na1\"}");
        Add("POST", "integrated-accounts", "application/xml", "<api_key>k</api_key>");
        Add("POST", "integrated-accounts", Form, "api_key=k&pod=na1");
        Add("POST", "integrated-accounts", null, null);
        Add("POST", "integrated-accounts", Json, "{\"label\":\"" + new string('x', 1024 * 1024 + 1) + "\"}");

        // Account ids and list parameters.
        foreach (var id in new[] { "ia-aaaaaaaaaaaaaaaaaaaaaaaa", "not-an-id", "..%2F..%2Fsecrets", "ia-aaaaaaaaaaaaaaaaaaaaaaaa%0A", "%00", "ia-AAAAAAAAAAAAAAAAAAAAAAAA", "ia-" + new string('a', 200), "%E2%80%AE" })
        {
            Add("GET", $"integrated-accounts/{id}");
            Add("PATCH", $"integrated-accounts/{id}", Json, "{\"label\":\"x\"}");
            Add("DELETE", $"integrated-accounts/{id}");
            Add("POST", $"integrated-accounts/{id}/validate");
        }

        foreach (var query in new[]
                 {
                     "limit=-1", "limit=0", "limit=abc", "limit=1000000000000", "limit=501", "limit=1.5", "limit=%20", "limit=1&limit=2",
                     "status=deleted", "status=", "tenant_id=%20", "tenant_id=a&tenant_id=b", "next_cursor=garbage", "next_cursor=",
                     "next_cursor=MTAw.AAAAAAAAAAAAAAAAAAAAAA", "next_cursor=" + Uri.EscapeDataString(Long),
                 })
        {
            Add("GET", $"integrated-accounts?{query}");
        }

        Add("PATCH", "integrated-accounts/{account}", Json, "{}");
        Add("PATCH", "integrated-accounts/{account}", Json, "{\"api_key\":null}");
        Add("PATCH", "integrated-accounts/{account}", Json, "{\"status\":\"active\"}");
        Add("PATCH", "integrated-accounts/{account}", Json, "{\"label\":[1]}");
        Add("PATCH", "integrated-accounts/{account}", Json, "{\"api_key\":\"wrong-key\"}");

        // Unified lists: bad parameters, cursors, filters, account selection.
        foreach (var query in new[]
                 {
                     "limit=-1", "limit=0", "limit=abc", "limit=1000000000000", "limit=501", "next_cursor=garbage", "next_cursor=MTAw.AAAAAAAAAAAAAAAAAAAAAA",
                     "email=a@example.com&tag=vip", "account_id=abc", "account_id=-5", "account_id=1e3", "colour=red", "remote_query[]=x",
                     "remote_query[a b]=x", "remote_query[LAST_NAME]=x&email=y", "updated_after=yesterday", "updated_after=2025-13-01T00:00:00Z",
                     "updated_after=2025-01-01", "include_remote_data=maybe", "email=", "tag=vip&updated_after=2025-01-01T00:00:00Z",
                 })
        {
            Add("GET", $"unified/crm/contacts?integrated_account_id={{account}}&{query}");
        }

        foreach (var resource in new[] { "accounts", "contacts", "leads", "opportunities", "notes", "tasks", "projects", "users", "pipelines", "stages" })
        {
            Add("GET", $"unified/crm/{resource}");
            Add("GET", $"unified/crm/{resource}?integrated_account_id=ia-aaaaaaaaaaaaaaaaaaaaaaaa");
            Add("GET", $"unified/crm/{resource}/abc?integrated_account_id={{account}}");
            Add("GET", $"unified/crm/{resource}/..%2F..%2Fhealth?integrated_account_id={{account}}");
            Add("PUT", $"unified/crm/{resource}/1?integrated_account_id={{account}}", Json, "{}");
        }

        Add("GET", "unified/crm/fields?integrated_account_id={account}");
        Add("GET", "unified/crm/fields?integrated_account_id={account}&entity=widget");
        Add("GET", "unified/crm/fields?integrated_account_id={account}&entity=contact&limit=0");
        Add("GET", "unified/crm/widgets?integrated_account_id={account}");
        Add("GET", "unified/user-directory/groups?integrated_account_id={account}");
        Add("POST", "unified/crm/users?integrated_account_id={account}", Json, "{}");
        Add("DELETE", "unified/crm/pipelines/1?integrated_account_id={account}");

        // Unified writes: broken bodies, wrong types, unknown and read-only fields, huge values.
        foreach (var body in new[]
                 {
                     "", "{", "[]", "null", Deep, "{\"last_name\":7}", "{\"last_name\":\"x\",\"id\":\"5\"}", "{\"last_name\":\"x\",\"created_at\":\"2025-01-01T00:00:00Z\"}",
                     "{\"last_name\":\"x\",\"name\":\"x\"}", "{\"last_name\":\"x\",\"bogus\":1}", "{\"last_name\":\"x\",\"phone_numbers\":\"123\"}",
                     "{\"last_name\":\"x\",\"phone_numbers\":[{\"number\":1,\"type\":\"work\"}]}", "{\"last_name\":\"x\",\"phone_numbers\":[{\"number\":\"1\"}]}",
                     "{\"last_name\":\"x\",\"email_addresses\":[{\"email\":\"a\",\"type\":\"home\"}]}", "{\"last_name\":\"x\",\"addresses\":[{\"zip\":\"1\",\"type\":\"mailing\"}]}",
                     "{\"last_name\":\"x\",\"account\":5}", "{\"last_name\":\"x\",\"account\":{\"id\":\"x\"}}", "{\"last_name\":\"x\",\"account\":{\"id\":\"1\",\"evil\":1}}",
                     "{\"last_name\":\"x\",\"tags\":[\"vip\"]}", "{\"last_name\":\"x\",\"custom_fields\":[]}", "{\"last_name\":\"x\",\"custom_fields\":{\"Nope__c\":1}}",
                     "{\"last_name\":\"x\",\"remote_data\":\"x\"}", "{\"last_name\":\"x\",\"remote_data\":{\"CONTACT_ID\":1}}", "{\"last_name\":\"\\udc00\"}",
                     "{\"last_name\":\"x\",\"last_name\":\"y\"}",
                 })
        {
            Add("POST", "unified/crm/contacts?integrated_account_id={account}", Json, body);
        }

        Add("POST", "unified/crm/contacts?integrated_account_id={account}", Form, "last_name=x");
        Add("POST", "unified/crm/contacts?integrated_account_id={account}", Json, "{\"last_name\":\"" + new string('x', 1024 * 1024) + "\"}");
        Add("POST", "unified/crm/notes?integrated_account_id={account}", Json, "{\"title\":\"t\"}");
        Add("POST", "unified/crm/notes?integrated_account_id={account}", Json, "{\"title\":\"t\",\"contact\":{\"id\":\"1\"},\"account\":{\"id\":\"2\"}}");
        Add("POST", "unified/crm/opportunities?integrated_account_id={account}", Json, "{\"name\":\"x\",\"status\":\"maybe\"}");
        Add("POST", "unified/crm/opportunities?integrated_account_id={account}", Json, "{\"name\":\"x\",\"stage\":{\"id\":\"1\"}}");
        Add("POST", "unified/crm/opportunities?integrated_account_id={account}", Json, "{\"name\":\"x\",\"probability\":1000}");
        Add("POST", "unified/crm/tasks?integrated_account_id={account}", Json, "{\"subject\":\"x\",\"priority\":2}");
        Add("POST", "unified/crm/tasks?integrated_account_id={account}", Json, "{\"subject\":\"x\",\"due_date\":\"2025-02-30\"}");
        Add("PATCH", "unified/crm/contacts/1?integrated_account_id={account}", Json, "{}");
        Add("PATCH", "unified/crm/opportunities/1?integrated_account_id={account}", Json, "{\"status\":null}");
        Add("PATCH", "unified/crm/notes/1?integrated_account_id={account}", Json, "{\"contact\":{\"id\":\"1\"}}");

        // The proxy: hostile paths, account selection, verbs.
        foreach (var path in new[] { "..%2FUsers%2FMe", "%2e%2e/%2e%2e/health", "%252e%252e/x", "Contacts%5C..%5Cx", "//evil.example/x", "http:%2F%2Fevil.example", "Contacts/@evil", "%c0%ae%c0%ae/x" })
        {
            Add("GET", $"proxy/{path}?integrated_account_id={{account}}");
        }

        Add("GET", "proxy/Contacts");
        Add("GET", "proxy/Contacts?integrated_account_id=ia-aaaaaaaaaaaaaaaaaaaaaaaa");
        Add("GET", "proxy/Contacts?integrated_account_id=");
        Add("HEAD", "proxy/Contacts?integrated_account_id={account}");
        Add("OPTIONS", "proxy/Contacts?integrated_account_id={account}");

        // The link flow.
        Add("POST", "link-tokens", Json, "{}");
        Add("POST", "link-tokens", Json, "{\"tenant_id\":\"t\",\"redirect_url\":\"http://evil.example/\"}");
        Add("POST", "link-tokens", Json, "{\"tenant_id\":\"t\",\"redirect_url\":\"javascript:alert(1)\"}");
        Add("POST", "link-tokens", Json, "{\"tenant_id\":\"t\",\"integrated_account_id\":\"ia-aaaaaaaaaaaaaaaaaaaaaaaa\"}");
        Add("POST", "link-tokens", Json, "{\"tenant_id\":\"" + new string('t', 200) + "\"}");
        Add("POST", "link-tokens", Form, "tenant_id=t");
        Add("GET", "link");
        Add("GET", "link?token=garbage");
        Add("GET", "link?token=lt_" + new string('a', 4000));
        Add("POST", "link", Form, "token=garbage&api_key={key}&api_url=https%3A%2F%2Fapi.na1.insightly.com%2Fv3.1%2F");
        Add("POST", "link", Form, "api_key={key}");
        Add("POST", "link", Json, "{\"token\":\"x\",\"api_key\":\"{key}\"}");

        // Unknown routes and verbs.
        Add("GET", "nothing/here");
        Add("DELETE", "health");
        Add("PUT", "openapi.json", Json, "{}");
        Add("TRACE", "health");
        Add("GET", "%ff%fe");
        return rows;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_malformed_request_gets_a_4xx_in_the_contract_shape_and_nothing_it_sent_comes_back(
        string method, string path, string? contentType, string? body)
    {
        var (account, key) = await AccountAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{account}", account, StringComparison.Ordinal));
        if (contentType is not null)
        {
            request.Content = new StringContent((body ?? "").Replace("{key}", key, StringComparison.Ordinal), Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await host.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;

        Assert.True(status is >= 400 and < 500, $"{method} {path} answered {status}: {text[..Math.Min(text.Length, 300)]}");
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        if (method != "HEAD" && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var error = JsonNode.Parse(text)!.AsObject();
            Assert.Equal(status, error["status_code"]!.GetValue<int>());
            Assert.False(string.IsNullOrWhiteSpace(error["error"]!.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        }
        else if (method != "HEAD" && text.Length > 0)
        {
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public void The_suite_tries_at_least_150_malformed_requests() => Assert.True(Requests().Count >= 150, $"only {Requests().Count}");

    private Task<(string Account, string Key)> AccountAsync() => host.LinkedAccount.Value;
}
