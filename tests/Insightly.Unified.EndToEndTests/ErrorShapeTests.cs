using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Insightly.Unified.EndToEndTests;

public sealed class ErrorShapeTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Health_reports_storage_and_secret_store_without_a_key()
    {
        using var response = await host.Api.GetAsync("health");
        var health = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("ok", "ok", "ok"), (health.Str("status"), health.Str("storage"), health.Str("secret_store")));
        Assert.Equal(3, health.Count);
    }

    [Fact]
    public async Task An_unknown_route_is_404_unknown_resource() =>
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync("no/such/route")), 404, "unknown_resource");

    [Fact]
    public async Task A_known_route_with_the_wrong_method_is_405_with_Allow()
    {
        using var response = await host.Api.PutAsync("integrated-accounts", JsonContent.Create(new { }));

        Json.AssertError(await Json.ReadAsync(response), 405, "method_not_allowed");
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task Malformed_json_is_400_invalid_body()
    {
        using var content = new StringContent("{\"api_key\": ", Encoding.UTF8, "application/json");
        Json.AssertError(await Json.ReadAsync(await host.Api.PostAsync("integrated-accounts", content)), 400, "invalid_body");
    }

    [Fact]
    public async Task An_escaped_lone_surrogate_is_400_invalid_body()
    {
        using var content = new StringContent("""{"api_key":"\udc00","pod":"na1"}""", Encoding.UTF8, "application/json");
        Json.AssertError(await Json.ReadAsync(await host.Api.PostAsync("integrated-accounts", content)), 400, "invalid_body");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var content = new FormUrlEncodedContent([KeyValuePair.Create("api_key", "k")]);
        Json.AssertError(await Json.ReadAsync(await host.Api.PostAsync("integrated-accounts", content)), 415, "unsupported_media_type");
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        using var content = new StringContent("{\"label\":\"" + new string('x', 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        Json.AssertError(await Json.ReadAsync(await host.Api.PostAsync("integrated-accounts", content)), 413, "payload_too_large");
    }

    [Fact]
    public async Task Unknown_fields_are_named_in_the_error()
    {
        var error = await Json.ReadAsync(await host.Api.PostAsJsonAsync("integrated-accounts", new { api_key = "k", pod = "na1", secret = "x" }));
        Json.AssertError(error, 400, "invalid_body");
        Assert.Equal("secret", error["details"]!["fields"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("integrated-accounts/ia-aaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("integrated-accounts/not-an-id")]
    public async Task An_unknown_account_is_404_account_not_found(string path) =>
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync(path)), 404, "account_not_found");

    [Theory]
    [InlineData("integrated-accounts?status=broken", "status")]
    [InlineData("integrated-accounts?limit=0", "limit")]
    [InlineData("integrated-accounts?limit=501", "limit")]
    [InlineData("integrated-accounts?tenant_id=%20", "tenant_id")]
    [InlineData("integrated-accounts?tenant_id=", "tenant_id")]
    [InlineData("integrated-accounts?tenant_id=a&tenant_id=b", "tenant_id")]
    public async Task Bad_list_parameters_are_400_invalid_parameter(string path, string parameter)
    {
        var error = await Json.ReadAsync(await host.Api.GetAsync(path));
        Json.AssertError(error, 400, "invalid_parameter");
        Assert.Equal(parameter, error["details"].Str("parameter"));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("MSE5IWZha2U.AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_made_up_or_forged_cursor_is_400_invalid_cursor(string cursor) =>
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts?next_cursor={cursor}")), 400, "invalid_cursor");
}
