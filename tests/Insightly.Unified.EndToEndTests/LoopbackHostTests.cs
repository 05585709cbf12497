using System.Net;

namespace Insightly.Unified.EndToEndTests;

/// <summary>The local host serves loopback names only, so a web page cannot drive it through DNS rebinding.</summary>
public sealed class LoopbackHostTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Theory]
    [InlineData("health")]
    [InlineData("integrated-accounts")]
    [InlineData("proxy/Contacts")]
    public async Task A_request_for_another_host_name_is_refused_in_the_contracts_shape(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Host = "rebound.evil.example:" + host.Api.BaseAddress!.Port } };
        using var response = await host.Api.SendAsync(request);

        var error = await Json.ReadAsync(response);
        Json.AssertError(error, 400, "invalid_parameter");
        Assert.Equal("Host", error["details"].Str("header"));
    }

    [Fact]
    public async Task The_admin_API_is_refused_for_another_host_name_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Api.BaseAddress!, "/admin/functions/CredentialCheck"))
        {
            Content = new StringContent("{\"input\":\"\"}", System.Text.Encoding.UTF8, "application/json"),
            Headers = { Host = "rebound.evil.example" },
        };
        using var response = await host.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Loopback_names_with_any_port_are_served(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "health") { Headers = { Host = $"{name}:{host.Api.BaseAddress!.Port}" } };
        using var response = await host.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
