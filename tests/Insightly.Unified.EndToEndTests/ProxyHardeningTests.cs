using System.Net;
using System.Net.Sockets;
using System.Text;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// What keeps the proxy from being turned against its own origin or its callers: every answer is unsniffable and
/// sandboxed, a redirect is passed back rather than followed, and a body a page of another site could send is refused.
/// </summary>
public sealed class ProxyHardeningTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Every_answer_of_the_proxy_is_nosniff_and_sandboxed_whoever_wrote_it()
    {
        var (instance, key, id) = await LinkedAccountAsync();
        instance.SeedContacts(1);
        host.Insightly.AddCannedResponse(new CannedResponse(key, "Contacts/Html") { ContentType = "text/html" });

        using var read = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");
        using var html = await host.Api.GetAsync($"proxy/Contacts/Html?integrated_account_id={id}");
        using var insightlysError = await host.Api.GetAsync($"proxy/Contacts/999999?integrated_account_id={id}");
        using var ownError = await host.Api.GetAsync("proxy/Contacts");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.BadRequest),
            (read.StatusCode, html.StatusCode, insightlysError.StatusCode, ownError.StatusCode));
        Assert.All(new[] { read, html, insightlysError, ownError }, response =>
        {
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("sandbox", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        });
    }

    [Fact]
    public async Task A_redirect_from_Insightly_is_passed_back_and_never_followed_to_the_other_host()
    {
        var (_, key, id) = await LinkedAccountAsync();
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var target = $"http://127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}/v3.1/Contacts";
        host.Insightly.AddCannedResponse(new CannedResponse(key, "Contacts", Status: 302) { Headers = new Dictionary<string, string> { ["Location"] = target } });

        using var response = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.False(elsewhere.Pending(), "The proxy followed Insightly's redirect to another host.");
        Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r.Path == "Contacts");
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "ORGANISATION_NAME=Forged")]
    [InlineData("text/plain", "{\"ORGANISATION_NAME\":\"Forged\"}")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"ORGANISATION_NAME\"\r\n\r\nForged\r\n--b--\r\n")]
    public async Task A_form_or_text_body_is_415_and_nothing_reaches_Insightly(string contentType, string body)
    {
        var (instance, key, id) = await LinkedAccountAsync();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await host.Api.PostAsync($"proxy/Organisations?integrated_account_id={id}", content);

        Json.AssertError(await Json.ReadAsync(response), 415, "unsupported_media_type");
        Assert.DoesNotContain(host.Insightly.Requests, r => r.ApiKey == key && r.Method == "POST");
        Assert.Empty(instance.All("Organisations"));
    }

    [Fact]
    public async Task A_POST_without_a_body_needs_no_Content_Type()
    {
        var (_, key, id) = await LinkedAccountAsync();

        using var response = await host.Api.PostAsync($"proxy/Contacts/101/Follow?integrated_account_id={id}", content: null);

        Assert.NotEqual(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r is { Method: "POST", Path: "Contacts/101/Follow" });
    }

    [Fact]
    public async Task A_file_upload_from_a_server_goes_through_as_multipart()
    {
        var (_, key, id) = await LinkedAccountAsync();
        using var upload = new MultipartFormDataContent("b") { { new ByteArrayContent("PDF"u8.ToArray()), "file", "terms.pdf" } };

        using var response = await host.Api.PostAsync($"proxy/Contacts/101/FileAttachments?integrated_account_id={id}", upload);

        var sent = Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r.Method == "POST");
        Assert.Equal("Contacts/101/FileAttachments", sent.Path);
        Assert.StartsWith("multipart/form-data", sent.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("filename=terms.pdf", sent.Body, StringComparison.Ordinal);
    }

    private async Task<(FakeInstance Instance, string Key, string Id)> LinkedAccountAsync()
    {
        var (instance, key) = host.NewInstance();
        return (instance, key, (await host.LinkAsync(key)).Str("id"));
    }
}
