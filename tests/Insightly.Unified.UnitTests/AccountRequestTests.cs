using System.Text.Json.Nodes;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Errors;

namespace Insightly.Unified.UnitTests;

public sealed class AccountRequestTests
{
    [Fact]
    public void A_link_with_an_api_url_takes_the_pod_from_it()
    {
        var request = LinkAccountRequest.Parse(Body("""{"api_key":" k ","api_url":"https://api.eu1.insightly.com/v3.1/","tenant_id":"t-1","label":"Acme"}"""));
        Assert.Equal(("k", "eu1", "t-1", "Acme"), (request.ApiKey, request.Pod, request.TenantId, request.Label));
    }

    [Theory]
    [InlineData("""{"pod":"na1"}""", "api_key")]
    [InlineData("""{"api_key":"","pod":"na1"}""", "api_key")]
    [InlineData("""{"api_key":42,"pod":"na1"}""", "api_key")]
    [InlineData("""{"api_key":"k"}""", "pod")]
    [InlineData("""{"api_key":"k","pod":"na1","api_url":"https://api.na1.insightly.com/v3.1/"}""", "api_url")]
    [InlineData("""{"api_key":"k","pod":"na1","apiKey":"k"}""", "apiKey")]
    public void A_bad_link_body_is_refused_naming_the_field(string json, string field)
    {
        var error = Assert.Throws<ApiException>(() => LinkAccountRequest.Parse(Body(json)));
        Assert.Equal(ErrorCodes.InvalidBody, error.Error);
        Assert.Contains(field, error.Details!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public void A_tenant_id_over_128_characters_is_refused()
    {
        var body = new JsonObject { ["api_key"] = "k", ["pod"] = "na1", ["tenant_id"] = new string('t', 129) };
        Assert.Equal(ErrorCodes.InvalidBody, Assert.Throws<ApiException>(() => LinkAccountRequest.Parse(body)).Error);
    }

    [Fact]
    public void The_key_never_appears_in_a_request_string()
    {
        var request = LinkAccountRequest.Parse(Body("""{"api_key":"secret-key-123","pod":"na1"}"""));
        Assert.DoesNotContain("secret-key-123", request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-123", UpdateAccountRequest.Parse(Body("""{"api_key":"secret-key-123"}""")).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_update_can_clear_the_label_and_keep_the_tenant()
    {
        var request = UpdateAccountRequest.Parse(Body("""{"label":null}"""));
        Assert.True(request.SetsLabel);
        Assert.Null(request.Label);
        Assert.False(request.SetsTenantId);
        Assert.Null(request.ApiKey);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"api_key":null}""")]
    [InlineData("""{"pod":"eu1"}""")]
    public void An_update_with_nothing_valid_to_change_is_refused(string json) =>
        Assert.Equal(ErrorCodes.InvalidBody, Assert.Throws<ApiException>(() => UpdateAccountRequest.Parse(Body(json))).Error);

    private static JsonObject Body(string json) => JsonNode.Parse(json)!.AsObject();
}
