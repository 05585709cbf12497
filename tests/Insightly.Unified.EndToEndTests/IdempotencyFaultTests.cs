using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// An <c>Idempotency-Key</c> whose write reached Insightly is never given back, whatever goes wrong after it: a
/// retry with the same key is told the outcome is unknown (409, read the record first) and writes nothing again.
/// </summary>
public sealed class IdempotencyFaultTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Theory]
    [InlineData(429, 429)]
    [InlineData(503, 502)]
    public async Task A_create_whose_state_change_failed_keeps_its_key_and_a_retry_creates_nothing(int insightly, int answered)
    {
        var (instance, data, key, id) = await LinkedAsync();
        var next = instance.NextId("Opportunities");
        host.Insightly.AddFault(new ScriptedFault(key, $"Opportunities/{next}/StateChange", insightly, 10) { Method = "PUT" });
        var body = new JsonObject { ["name"] = "Renewal", ["pipeline"] = new JsonObject { ["id"] = data.Sales.Id.ToString() }, ["status"] = "won" };

        var (firstStatus, first) = await SendAsync(id, "opportunity-1", body);
        var (_, retry) = await SendAsync(id, "opportunity-1", body);

        Assert.Equal(answered, firstStatus);
        Assert.Equal("""["fields","pipeline"]""", first["details"]!["applied"].Text());
        Json.AssertError(retry, 409, "idempotency_conflict");
        Assert.Equal(("unknown", next.ToString()), (retry["details"].Str("outcome"), retry["details"].Str("id")));
        Assert.Single(instance.All("Opportunities"));
        Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r is { Method: "POST", Path: "Opportunities" });
    }

    [Fact]
    public async Task A_create_whose_connection_broke_after_Insightly_saved_it_keeps_its_key()
    {
        var (instance, _, key, id) = await LinkedAsync();
        host.Insightly.AddFault(ScriptedFault.ResetBeforeAnswer(key, "Contacts", method: "POST"));
        var body = new JsonObject { ["last_name"] = "Once" };

        var (firstStatus, first) = await SendAsync(id, "contact-1", body);
        var (_, retry) = await SendAsync(id, "contact-1", body);

        Assert.True(firstStatus >= 500, first.Text());
        Json.AssertError(retry, 409, "idempotency_conflict");
        Assert.Equal("unknown", retry["details"].Str("outcome"));
        Assert.Contains("Read the record", retry.Str("message"), StringComparison.Ordinal);
        Assert.Single(instance.All("Contacts"));
        Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r.Method == "POST");
    }

    [Fact]
    public async Task A_create_whose_caller_hung_up_while_it_was_sent_keeps_its_key()
    {
        var (_, _, key, id) = await LinkedAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Insightly.AddFault(ScriptedFault.HeldUntil(key, "Contacts", release.Task, method: "POST"));
        var body = new JsonObject { ["last_name"] = "Abandoned" };

        var settled = SettledKeys();
        using (var hangUp = new CancellationTokenSource())
        {
            var first = SendAsync(id, "contact-2", body, hangUp.Token);
            await WaitUntilAsync(() => host.Insightly.Requests.Any(r => r.ApiKey == key && r.Method == "POST"));
            await hangUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        }

        // The server notices the hang-up in its own time; only once it has (and settled the key) may Insightly answer,
        // or the write would simply finish and the retry be its replay.
        await WaitUntilAsync(() => SettledKeys() > settled);
        release.SetResult();
        var (_, retry) = await SendAsync(id, "contact-2", body);

        Json.AssertError(retry, 409, "idempotency_conflict");
        Assert.Equal("unknown", retry["details"].Str("outcome"));
        Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r.Method == "POST");
    }

    private int SettledKeys() => host.LogLines.Count(line => line.Contains("the Idempotency-Key is kept", StringComparison.Ordinal));

    private async Task<(int Status, JsonObject Body)> SendAsync(string accountId, string idempotencyKey, JsonObject body, CancellationToken cancellationToken = default)
    {
        var resource = body.ContainsKey("last_name") ? "contacts" : "opportunities";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"unified/crm/{resource}?integrated_account_id={accountId}")
        {
            Content = JsonContent.Create(body),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        };
        using var response = await host.Api.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await Json.ReadAsync(response));
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail("The condition did not come true within 5 seconds.");
    }

    private async Task<(FakeInstance Instance, StandardData Data, string Key, string AccountId)> LinkedAsync()
    {
        var (instance, key) = host.NewInstance();
        var data = instance.SeedStandardData();
        return (instance, data, key, (await host.LinkAsync(key)).Str("id"));
    }
}
