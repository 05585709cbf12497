using Insightly.Unified.Secrets;
using System.Net.Http.Json;
using Azure.Data.Tables;
using FakeInsightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;

namespace Insightly.Unified.EndToEndTests;

public sealed class CredentialValidationTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task A_revoked_key_turns_the_account_to_needs_reauth_with_the_error()
    {
        var (_, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        host.Insightly.RevokeKey(key);

        var account = await Json.ReadAsync(await host.Api.PostAsync($"integrated-accounts/{id}/validate", null));

        Assert.Equal("needs_reauth", account.Str("status"));
        Assert.Equal(401, account["last_error"]!["status"]!.GetValue<int>());
        var listed = await Json.ReadAsync(await host.Api.GetAsync("integrated-accounts?status=needs_reauth"));
        Assert.Contains(id, listed["result"]!.AsArray().Select(a => a.Str("id")));
    }

    [Fact]
    public async Task A_key_rotated_by_another_instance_is_re_read_once_after_a_401()
    {
        var (instance, oldKey) = host.NewInstance();
        var id = (await host.LinkAsync(oldKey)).Str("id");
        // Warm the cache with the old key, then rotate behind this instance's back.
        await host.Api.PostAsync($"integrated-accounts/{id}/validate", null);
        var newKey = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");
        // Another instance's rotation writes a new version to the store and points the row at it; this
        // instance's cache still holds the old key.
        var version = await host.GetService<ISecretStore>().SetAsync(SecretNaming.ForAccount(id), newKey, new Dictionary<string, string>(), default);
        await host.GetService<AccountRepository>().UpdateAsync(id, current => current with { SecretVersion = version }, default);
        host.Insightly.RevokeKey(oldKey);
        host.Insightly.ClearRequests();

        var account = await Json.ReadAsync(await host.Api.PostAsync($"integrated-accounts/{id}/validate", null));

        Assert.Equal("active", account.Str("status"));
        Assert.Equal("grace@example.com", account["user"].Str("email"));
        Assert.Equal(1, host.Insightly.Requests.Count(r => r.ApiKey == oldKey));
    }

    [Fact]
    public async Task A_401_on_any_call_flags_the_account_and_later_calls_stay_local_until_it_is_re_keyed()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        var connector = host.GetService<AccountConnector>();
        var accounts = host.GetService<AccountRepository>();
        host.Insightly.RevokeKey(key);

        var active = (await accounts.FindAsync(id, default))!;
        var rejected = await Assert.ThrowsAsync<ApiException>(() => connector.GetJsonAsync(active, "Users/Me", default));
        Assert.Equal((401, "account_needs_reauth"), (rejected.StatusCode, rejected.Error));
        var flagged = (await accounts.FindAsync(id, default))!;
        Assert.Equal(AccountStatus.NeedsReauth, flagged.Status);

        var requestsBefore = host.Insightly.Requests.Count;
        var refused = await Assert.ThrowsAsync<ApiException>(() => connector.GetJsonAsync(flagged, "Users/Me", default));
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal(requestsBefore, host.Insightly.Requests.Count);

        var newKey = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");
        await host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { api_key = newKey });
        var (me, _) = await connector.GetJsonAsync((await accounts.FindAsync(id, default))!, "Users/Me", default);
        Assert.Equal("grace@example.com", me.Str("EMAIL_ADDRESS"));
    }

    [Fact]
    public async Task Transient_failures_keep_the_status_until_they_repeat()
    {
        var (_, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        // Each check tries five times (one call and four retries) before giving up.
        host.Insightly.AddFault(new ScriptedFault(key, "Users/Me", 503, 15));

        var statuses = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var account = await Json.ReadAsync(await host.Api.PostAsync($"integrated-accounts/{id}/validate", null));
            statuses.Add(account.Str("status"));
            Assert.Equal(503, account["last_error"]!["status"]!.GetValue<int>());
        }

        Assert.Equal(["active", "active", "validation_error"], statuses);
        var recovered = await Json.ReadAsync(await host.Api.PostAsync($"integrated-accounts/{id}/validate", null));
        Assert.Equal("active", recovered.Str("status"));
        Assert.Null(recovered["last_error"]);
    }

    [Fact]
    public async Task The_scheduled_check_visits_every_account_and_counts_the_outcomes()
    {
        var healthy = (await host.LinkAsync(host.NewInstance().Key)).Str("id");
        var (_, revokedKey) = host.NewInstance();
        var revoked = (await host.LinkAsync(revokedKey)).Str("id");
        host.Insightly.RevokeKey(revokedKey);

        var summary = await host.GetService<CredentialCheckRun>().RunAsync(CancellationToken.None);

        var all = await Json.ReadAsync(await host.Api.GetAsync("integrated-accounts?limit=500"));
        Assert.Equal(all["result_count"]!.GetValue<int>(), summary.Checked);
        Assert.True(summary.NeedsReauth >= 1);
        Assert.Equal("active", (await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{healthy}"))).Str("status"));
        Assert.Equal("needs_reauth", (await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{revoked}"))).Str("status"));
    }
}
