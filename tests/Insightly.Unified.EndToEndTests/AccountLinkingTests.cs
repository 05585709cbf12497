using Insightly.Unified.Secrets;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace Insightly.Unified.EndToEndTests;

public sealed class AccountLinkingTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Links_an_account_from_its_api_url_and_reads_it_back()
    {
        var (instance, key) = host.NewInstance("eu1");
        using var response = await host.Api.PostAsJsonAsync("integrated-accounts", new
        {
            api_key = key,
            api_url = "https://api.eu1.insightly.com/v3.1/",
            tenant_id = "tenant-link",
            label = "Acme EU",
        });
        var account = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches("^ia-[a-z2-7]{24}$", account.Str("id"));
        Assert.Equal(("eu1", "active", "tenant-link", "Acme EU"), (account.Str("pod"), account.Str("status"), account.Str("tenant_id"), account.Str("label")));
        Assert.Equal(instance.Subdomain, account["instance"].Str("subdomain"));
        Assert.Equal("Professional", account["instance"].Str("plan"));
        Assert.Equal("ada@example.com", account["user"].Str("email"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", account.Str("created_at"));
        Assert.Null(account["last_error"]);
        Assert.Equal(60_000, account["rate_limit"]!["limit"]!.GetValue<long>());
        Assert.Equal(instance.RemainingToday, account["rate_limit"]!["remaining"]!.GetValue<long>());

        var fetched = await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{account.Str("id")}"));
        Assert.Equal(account.ToJsonString(), fetched.ToJsonString());
    }

    [Fact]
    public async Task A_bad_key_is_422_invalid_credentials_and_nothing_is_stored()
    {
        var secretsBefore = await CountSecretsAsync();

        using var response = await host.Api.PostAsJsonAsync("integrated-accounts", new { api_key = "not-a-real-key", pod = "na1", tenant_id = "tenant-bad" });
        var error = await Json.ReadAsync(response);

        Json.AssertError(error, 422, "invalid_credentials");
        Assert.True(error["remote_error"]!.GetValue<bool>());
        Assert.Equal(401, error["remote_status"]!.GetValue<int>());
        Assert.Equal(secretsBefore, await CountSecretsAsync());
        var list = await Json.ReadAsync(await host.Api.GetAsync("integrated-accounts?tenant_id=tenant-bad"));
        Assert.Empty(list["result"]!.AsArray());
    }

    [Fact]
    public async Task A_key_used_against_the_wrong_pod_is_rejected()
    {
        var (_, key) = host.NewInstance("au1");
        using var response = await host.Api.PostAsJsonAsync("integrated-accounts", new { api_key = key, pod = "na1" });
        var error = await Json.ReadAsync(response);

        Json.AssertError(error, 422, "invalid_credentials");
        Assert.Contains("na1", error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_accounts_by_tenant_in_pages_with_a_cursor_bound_to_the_filters()
    {
        var linked = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            linked.Add((await host.LinkAsync(host.NewInstance().Key, tenantId: "tenant-pages")).Str("id"));
        }

        await host.LinkAsync(host.NewInstance().Key, tenantId: "someone-else");

        var first = await Json.ReadAsync(await host.Api.GetAsync("integrated-accounts?tenant_id=tenant-pages&limit=2"));
        Assert.Equal(2, first["result_count"]!.GetValue<int>());
        var cursor = first.Str("next_cursor");

        var second = await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts?tenant_id=tenant-pages&limit=2&next_cursor={Uri.EscapeDataString(cursor)}"));
        Assert.Null(second["next_cursor"]);
        var seen = first["result"]!.AsArray().Concat(second["result"]!.AsArray()).Select(a => a.Str("id")).ToList();
        Assert.Equal(linked.Order(), seen.Order());

        var reused = await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts?tenant_id=someone-else&limit=2&next_cursor={Uri.EscapeDataString(cursor)}"));
        Json.AssertError(reused, 400, "invalid_cursor");

        var active = await Json.ReadAsync(await host.Api.GetAsync("integrated-accounts?tenant_id=tenant-pages&status=needs_reauth"));
        Assert.Empty(active["result"]!.AsArray());
    }

    [Fact]
    public async Task A_rotation_to_a_rejected_key_is_422_and_the_old_key_stays()
    {
        var (_, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");

        var rotate = await Json.ReadAsync(await host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { api_key = "wrong-key" }));
        Json.AssertError(rotate, 422, "invalid_credentials");

        host.Insightly.ClearRequests();
        var validated = await Json.ReadAsync(await host.Api.PostAsync($"integrated-accounts/{id}/validate", null));
        Assert.Equal("active", validated.Str("status"));
        Assert.All(host.Insightly.Requests, r => Assert.Equal(key, r.ApiKey));
    }

    [Fact]
    public async Task A_rotation_to_a_valid_key_replaces_the_old_one_and_edits_the_label()
    {
        var (instance, oldKey) = host.NewInstance();
        var id = (await host.LinkAsync(oldKey)).Str("id");
        var newKey = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");
        host.Insightly.RevokeKey(oldKey);

        var rotated = await Json.ReadAsync(await host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { api_key = newKey, label = "Renamed" }));
        Assert.Equal(("active", "Renamed", "grace@example.com"), (rotated.Str("status"), rotated.Str("label"), rotated["user"].Str("email")));

        host.Insightly.ClearRequests();
        var validated = await Json.ReadAsync(await host.Api.PostAsync($"integrated-accounts/{id}/validate", null));
        Assert.Equal("active", validated.Str("status"));
        Assert.All(host.Insightly.Requests, r => Assert.Equal(newKey, r.ApiKey));
    }

    [Fact]
    public async Task A_rotation_to_a_key_of_another_instance_is_refused()
    {
        var id = (await host.LinkAsync(host.NewInstance().Key)).Str("id");
        var otherKey = host.NewInstance().Key;

        var rotate = await Json.ReadAsync(await host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { api_key = otherKey }));
        Json.AssertError(rotate, 422, "invalid_credentials");
    }

    [Fact]
    public async Task Deleting_an_account_removes_its_secret_and_its_row()
    {
        var id = (await host.LinkAsync(host.NewInstance().Key)).Str("id");
        Assert.True(await SecretExistsAsync(id));

        using var delete = await host.Api.DeleteAsync($"integrated-accounts/{id}");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(id, (await Json.ReadAsync(delete)).Str("id"));

        Assert.False(await SecretExistsAsync(id));
        // As in Key Vault (soft delete), the deleted name stays reserved and is never written again.
        await Assert.ThrowsAsync<SecretDeletedException>(() => host.GetService<ISecretStore>().SetAsync(
            SecretNaming.ForAccount(id), "another-key", new Dictionary<string, string>(), default));
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{id}")), 404, "account_not_found");
        Json.AssertError(await Json.ReadAsync(await host.Api.DeleteAsync($"integrated-accounts/{id}")), 404, "account_not_found");
    }

    [Fact]
    public async Task Keys_never_appear_in_responses_or_log_lines()
    {
        var (_, key) = host.NewInstance();
        var linked = await host.LinkAsync(key, tenantId: "tenant-secret");
        var id = linked.Str("id");
        var bodies = new List<string> { linked.ToJsonString() };
        bodies.Add(await host.Api.GetStringAsync($"integrated-accounts/{id}"));
        bodies.Add(await host.Api.GetStringAsync("integrated-accounts?tenant_id=tenant-secret"));
        bodies.Add(await (await host.Api.PostAsync($"integrated-accounts/{id}/validate", null)).Content.ReadAsStringAsync());
        bodies.Add(await (await host.Api.PostAsJsonAsync("integrated-accounts", new { api_key = "leaky-bad-key", pod = "na1" })).Content.ReadAsStringAsync());

        Assert.All(bodies, body => Assert.DoesNotContain(key, body, StringComparison.Ordinal));
        Assert.NotEmpty(host.LogLines);
        Assert.All(host.LogLines, line =>
        {
            Assert.DoesNotContain(key, line, StringComparison.Ordinal);
            Assert.DoesNotContain("leaky-bad-key", line, StringComparison.Ordinal);
        });
    }

    private async Task<int> CountSecretsAsync()
    {
        var count = 0;
        await foreach (var _ in host.SecretsTable.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    private async Task<bool> SecretExistsAsync(string accountId) =>
        await host.GetService<ISecretStore>().GetAsync(SecretNaming.ForAccount(accountId), default) is not null;
}
