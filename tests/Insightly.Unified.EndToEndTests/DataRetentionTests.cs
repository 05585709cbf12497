using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// Nothing is kept past its time in Table storage: expired <c>Idempotency-Key</c> rows and link tokens go with the
/// credential check's run, an unlinked account's keys go with the unlink; what is still in use stays.
/// </summary>
public sealed class DataRetentionTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    private TableClient IdempotencyTable => host.IdempotencyTable;

    [Fact]
    public async Task Unlinking_an_account_removes_its_idempotency_keys_and_no_one_elses()
    {
        var unlinked = (await host.LinkAsync(host.NewInstance().Key)).Str("id");
        var kept = (await host.LinkAsync(host.NewInstance().Key)).Str("id");
        await CreateContactAsync(unlinked, "key-a");
        await CreateContactAsync(unlinked, "key-b");
        await CreateContactAsync(kept, "key-a");
        Assert.Equal(2, await CountAsync(IdempotencyTable, $"PartitionKey eq '{unlinked}'"));

        (await host.Api.DeleteAsync($"integrated-accounts/{unlinked}")).EnsureSuccessStatusCode();

        Assert.Equal(0, await CountAsync(IdempotencyTable, $"PartitionKey eq '{unlinked}'"));
        Assert.Equal(1, await CountAsync(IdempotencyTable, $"PartitionKey eq '{kept}'"));
    }

    [Fact]
    public async Task The_credential_check_run_removes_expired_idempotency_keys_and_link_tokens_and_keeps_live_ones()
    {
        var account = (await host.LinkAsync(host.NewInstance().Key)).Str("id");
        await CreateContactAsync(account, "live-key");
        var past = DateTimeOffset.UtcNow.AddHours(-1);
        // As the rows of an earlier day look: the key's 24 hours are over, the tokens expired (one of them used).
        await IdempotencyTable.AddEntityAsync(new TableEntity(account, "expired-key")
        {
            ["Fingerprint"] = "f", ["State"] = "completed", ["Status"] = 201, ["StartedAt"] = past.AddDays(-1), ["ExpiresAt"] = past,
            ["Body0"] = new byte[50_000],
        });
        await host.LinkTokensTable.AddEntityAsync(ExpiredToken("expired-issued", "issued", past));
        await host.LinkTokensTable.AddEntityAsync(ExpiredToken("expired-used", "used", past));
        using var issued = await host.Api.PostAsJsonAsync("link-tokens", new { tenant_id = "acme" });
        issued.EnsureSuccessStatusCode();

        (await host.Api.PostAsync(new Uri(host.Api.BaseAddress!, "/admin/functions/CredentialCheck"), JsonContent.Create(new { input = "" })))
            .EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync(host.LinkTokensTable, "RowKey eq 'expired-used'") == 0);

        Assert.Equal(0, await CountAsync(IdempotencyTable, "RowKey eq 'expired-key'"));
        Assert.Equal(1, await CountAsync(IdempotencyTable, $"PartitionKey eq '{account}'"));
        Assert.Equal(0, await CountAsync(host.LinkTokensTable, "RowKey eq 'expired-issued'"));
        Assert.Equal(1, await CountAsync(host.LinkTokensTable, "State eq 'issued'"));
    }

    private static TableEntity ExpiredToken(string id, string state, DateTimeOffset expiredAt) => new("linktoken", id)
    {
        ["TenantId"] = "acme", ["CreatedAt"] = expiredAt.AddMinutes(-30), ["ExpiresAt"] = expiredAt, ["State"] = state,
    };

    private async Task CreateContactAsync(string accountId, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"unified/crm/contacts?integrated_account_id={accountId}")
        {
            Content = JsonContent.Create(new JsonObject { ["last_name"] = idempotencyKey }),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        };
        (await host.Api.SendAsync(request)).EnsureSuccessStatusCode();
    }

    private static async Task<int> CountAsync(TableClient table, string filter)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The credential check run did not remove the expired rows within 30 seconds.");
            await Task.Delay(100);
        }
    }
}
