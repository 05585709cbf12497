using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Insightly.Unified.EndToEndTests;

/// <summary>The local host's copy of the Functions host's admin API, which starts the timer on demand.</summary>
public sealed class CredentialCheckAdminApiTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Posting_to_the_admin_API_starts_the_check_at_once_with_202_and_it_runs_to_its_summary()
    {
        var (_, revokedKey) = host.NewInstance();
        var revoked = (await host.LinkAsync(revokedKey)).Str("id");
        host.Insightly.RevokeKey(revokedKey);

        using var response = await Admin("CredentialCheck", JsonContent.Create(new { input = "" }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!host.LogLines.Any(line => line.Contains("Credential check finished", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Contains(host.LogLines, line => line.Contains("started on demand through the admin API", StringComparison.Ordinal));
        Assert.Contains(host.LogLines, line => line.Contains("Credential check finished", StringComparison.Ordinal));
        Assert.Equal("needs_reauth", (await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{revoked}"))).Str("status"));
    }

    [Fact]
    public async Task The_admin_API_refuses_unknown_functions_and_bad_bodies_in_the_contracts_error_shape()
    {
        using var unknown = await Admin("NoSuchFunction", JsonContent.Create(new { input = "" }));
        using var httpFunction = await Admin("Health", JsonContent.Create(new { input = "" }));
        using var notJson = await Admin("CredentialCheck", new StringContent("{\"input\": ", Encoding.UTF8, "application/json"));
        using var notAString = await Admin("CredentialCheck", JsonContent.Create(new { input = 5 }));
        using var form = await Admin("CredentialCheck", new StringContent("input=", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Json.AssertError(await Json.ReadAsync(unknown), 404, "unknown_resource");
        Json.AssertError(await Json.ReadAsync(httpFunction), 404, "unknown_resource");
        Json.AssertError(await Json.ReadAsync(notJson), 400, "invalid_body");
        Json.AssertError(await Json.ReadAsync(notAString), 400, "invalid_body");
        Json.AssertError(await Json.ReadAsync(form), 415, "unsupported_media_type");
    }

    private Task<HttpResponseMessage> Admin(string function, HttpContent body) =>
        host.Api.PostAsync(new Uri(host.Api.BaseAddress!, $"/admin/functions/{function}"), body);
}
