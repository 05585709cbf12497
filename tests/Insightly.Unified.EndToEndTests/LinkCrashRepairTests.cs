using System.Net;
using System.Net.Http.Json;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;

namespace Insightly.Unified.EndToEndTests;

/// <summary>A host whose sweep treats any key without an account as left behind, however recent.</summary>
public sealed class SweepingHostFixture : ApiHostFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["CredentialCheck:OrphanSecretAge"] = "00:00:00",
    };
}

/// <summary>
/// A process dying between the two writes of a link (key stored, row not) or of an unlink (key deleted, row
/// not): nothing later breaks, and the next credential check run repairs what is left.
/// </summary>
public sealed class LinkCrashRepairTests(SweepingHostFixture host) : IClassFixture<SweepingHostFixture>
{
    private ISecretStore Secrets => host.GetService<ISecretStore>();

    [Fact]
    public async Task A_key_stored_by_a_link_that_died_is_removed_by_the_next_check_and_linked_accounts_keep_theirs()
    {
        var linked = (await host.LinkAsync(host.NewInstance().Key)).Str("id");
        // The crash: the key of a new account is stored, the process dies before the row is written.
        var orphan = AccountIds.New();
        await Secrets.SetAsync(SecretNaming.ForAccount(orphan), host.NewInstance().Key, SecretNaming.Tags(orphan, "na1"), default);

        using var missing = await host.Api.GetAsync($"integrated-accounts/{orphan}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var run = await host.Api.PostAsJsonAsync(new Uri(host.Api.BaseAddress!, "/admin/functions/CredentialCheck"), new { input = "" });
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);

        await WaitUntilAsync(async () => await Secrets.GetAsync(SecretNaming.ForAccount(orphan), default) is null);
        Assert.NotNull(await Secrets.GetAsync(SecretNaming.ForAccount(linked), default));
        Assert.Equal("active", (await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{linked}"))).Str("status"));
    }

    [Fact]
    public async Task An_unlink_that_died_after_deleting_the_key_leaves_an_account_that_says_so_and_can_be_deleted_again()
    {
        var id = (await host.LinkAsync(host.NewInstance().Key)).Str("id");
        // The crash: the key is deleted, the process dies before the row is.
        await Secrets.DeleteAsync(SecretNaming.ForAccount(id), default);
        host.GetService<ApiKeyResolver>().Invalidate(id);

        var call = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}"));
        Json.AssertError(call, 401, "account_needs_reauth");
        Assert.Equal("needs_reauth", (await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{id}"))).Str("status"));

        using var retry = await host.Api.DeleteAsync($"integrated-accounts/{id}");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{id}")), 404, "account_not_found");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The condition did not hold within 10 seconds.");
    }
}
