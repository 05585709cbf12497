using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>How the unified pipeline treats the request itself: the account, the verbs, the body, idempotency and Insightly's refusals.</summary>
public sealed class UnifiedRequestTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task The_account_comes_from_the_query_or_the_header_and_is_checked()
    {
        var (_, _, id) = await LinkedAsync();

        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync("unified/crm/contacts")), 400, "missing_parameter");
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync("unified/crm/contacts?integrated_account_id=ia-aaaaaaaaaaaaaaaaaaaaaaaa")), 404, "account_not_found");
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync("unified/crm/contacts?integrated_account_id=../../etc")), 404, "account_not_found");

        using var byHeader = new HttpRequestMessage(HttpMethod.Get, "unified/crm/contacts") { Headers = { { "X-Integrated-Account-Id", id } } };
        Assert.Equal(HttpStatusCode.OK, (await host.Api.SendAsync(byHeader)).StatusCode);

        using var conflicting = new HttpRequestMessage(HttpMethod.Get, $"unified/crm/contacts?integrated_account_id={id}") { Headers = { { "X-Integrated-Account-Id", "ia-bbbbbbbbbbbbbbbbbbbbbbbb" } } };
        Json.AssertError(await Json.ReadAsync(await host.Api.SendAsync(conflicting)), 400, "invalid_parameter");
    }

    [Fact]
    public async Task An_account_whose_key_was_revoked_answers_401_and_stays_local_afterwards()
    {
        var (_, key, id) = await LinkedAsync();
        host.Insightly.RevokeKey(key);

        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}")), 401, "account_needs_reauth");
        var before = host.Insightly.Requests.Count(r => r.ApiKey == key);
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/leads?integrated_account_id={id}")), 401, "account_needs_reauth");
        Assert.Equal(before, host.Insightly.Requests.Count(r => r.ApiKey == key));
    }

    [Theory]
    [InlineData("POST", "unified/crm/users", "GET")]
    [InlineData("DELETE", "unified/crm/stages/5", "GET")]
    [InlineData("PUT", "unified/crm/contacts/5", "DELETE, GET, PATCH")]
    [InlineData("POST", "unified/crm/contacts/5", "DELETE, GET, PATCH")]
    [InlineData("PATCH", "unified/crm/contacts", "GET, POST")]
    [InlineData("POST", "unified/crm/fields", "GET")]
    public async Task A_verb_the_resource_does_not_allow_is_405_with_Allow(string method, string path, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };
        using var response = await host.Api.SendAsync(request);

        Json.AssertError(await Json.ReadAsync(response), 405, "method_not_allowed");
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow.Order()));
    }

    [Theory]
    [InlineData("unified/crm/widgets")]
    [InlineData("unified/crm/contacts/5/notes")]
    public async Task An_unknown_resource_is_404_unknown_resource(string path) =>
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync(path)), 404, "unknown_resource");

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("0")]
    public async Task A_record_id_that_is_not_an_Insightly_id_is_400(string recordId)
    {
        var (_, _, id) = await LinkedAsync();
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts/{recordId}?integrated_account_id={id}")), 400, "invalid_parameter");
    }

    [Fact]
    public async Task A_missing_record_is_404_not_found_with_Insightlys_answer()
    {
        var (_, _, id) = await LinkedAsync();
        var error = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts/999999?integrated_account_id={id}"));
        Json.AssertError(error, 404, "not_found");
        Assert.Equal(404, error["remote_status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{\"last_name\":\"x\",\"id\":\"5\"}", "id")]
    [InlineData("{\"last_name\":\"x\",\"name\":\"Full Name\"}", "name")]
    [InlineData("{\"last_name\":\"x\",\"favourite_colour\":\"red\"}", "favourite_colour")]
    [InlineData("{\"last_name\":7}", "last_name")]
    [InlineData("{\"last_name\":\"x\",\"phone_numbers\":[{\"number\":\"1\",\"type\":\"pager\"}]}", "phone_numbers")]
    [InlineData("{\"last_name\":\"x\",\"phone_numbers\":[{\"number\":\"1\",\"type\":\"work\"},{\"number\":\"2\",\"type\":\"work\"}]}", "phone_numbers")]
    [InlineData("{\"last_name\":\"x\",\"email_addresses\":[{\"email\":\"a@x\"},{\"email\":\"b@x\"}]}", "email_addresses")]
    [InlineData("{\"last_name\":\"x\",\"custom_fields\":{\"Nope__c\":1}}", "custom_fields.Nope__c")]
    [InlineData("{\"last_name\":\"x\",\"custom_fields\":{\"Segment__c\":\"Huge\"}}", "custom_fields.Segment__c")]
    [InlineData("{\"last_name\":\"x\",\"custom_fields\":{\"Renewal_Date__c\":\"2025-13-01\"}}", "custom_fields.Renewal_Date__c")]
    [InlineData("{\"last_name\":\"x\",\"custom_fields\":{\"Lifetime_Value__c\":5}}", "custom_fields.Lifetime_Value__c")]
    [InlineData("{\"last_name\":\"x\",\"remote_data\":{\"CONTACT_ID\":5}}", "remote_data")]
    [InlineData("{\"last_name\":\"x\",\"remote_data\":[1]}", "remote_data")]
    public async Task Unknown_read_only_and_mistyped_fields_are_400_naming_each(string body, string field)
    {
        var (_, key, id) = await LinkedAsync();
        host.Insightly.ClearRequests();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var error = await Json.ReadAsync(await host.Api.PostAsync($"unified/crm/contacts?integrated_account_id={id}", content));

        Json.AssertError(error, 400, "invalid_body");
        Assert.Contains(field, error["details"]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.DoesNotContain(host.Insightly.Requests, r => r.ApiKey == key && r.Method != "GET");
    }

    [Fact]
    public async Task Every_refused_field_is_named_at_once()
    {
        var (_, _, id) = await LinkedAsync();
        var error = await Json.ReadAsync(await host.Api.PostAsJsonAsync($"unified/crm/accounts?integrated_account_id={id}",
            new JsonObject { ["colour"] = "red", ["website"] = 5, ["last_activity_at"] = "2025-01-01T00:00:00Z" }));

        Json.AssertError(error, 400, "invalid_body");
        Assert.Equal(["colour", "last_activity_at", "name", "website"], error["details"]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Insightly_refusing_a_write_is_422_with_its_message()
    {
        var (_, _, id) = await LinkedAsync();
        var error = await Json.ReadAsync(await host.Api.PostAsJsonAsync($"unified/crm/contacts?integrated_account_id={id}",
            new JsonObject { ["last_name"] = "x", ["account"] = new JsonObject { ["id"] = "987654" } }));

        Json.AssertError(error, 422, "remote_validation_error");
        Assert.Equal(400, error["remote_status"]!.GetValue<int>());
        Assert.Contains("987654", error["raw_response"].Str("Message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_json_or_oversized_body_is_refused()
    {
        var (_, _, id) = await LinkedAsync();
        using var form = new FormUrlEncodedContent([KeyValuePair.Create("last_name", "x")]);
        Json.AssertError(await Json.ReadAsync(await host.Api.PostAsync($"unified/crm/contacts?integrated_account_id={id}", form)), 415, "unsupported_media_type");
        using var huge = new StringContent("{\"last_name\":\"" + new string('x', 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        Json.AssertError(await Json.ReadAsync(await host.Api.PostAsync($"unified/crm/contacts?integrated_account_id={id}", huge)), 413, "payload_too_large");
        Json.AssertError(await Json.ReadAsync(await host.Api.PatchAsJsonAsync($"unified/crm/contacts/5?integrated_account_id={id}", new JsonObject())), 400, "invalid_body");
    }

    [Fact]
    public async Task A_replayed_idempotency_key_returns_the_first_answer_without_a_second_write()
    {
        var (instance, key, id) = await LinkedAsync();
        var body = new JsonObject { ["last_name"] = "Once" };

        var first = await SendWithKey(id, "key-1", body);
        var second = await SendWithKey(id, "key-1", body);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.Status, second.Status));
        Assert.Equal(first.Body, second.Body);
        Assert.True(second.Replayed);
        Assert.Single(instance.All("Contacts"), c => c.Str("LAST_NAME") == "Once");
        Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r.Method == "POST");
    }

    [Fact]
    public async Task An_idempotency_key_reused_with_another_body_is_409()
    {
        var (_, _, id) = await LinkedAsync();
        await SendWithKey(id, "key-2", new JsonObject { ["last_name"] = "First" });

        var reused = await SendWithKey(id, "key-2", new JsonObject { ["last_name"] = "Second" });

        Assert.Equal(HttpStatusCode.Conflict, reused.Status);
        Json.AssertError(JsonNode.Parse(reused.Body)!.AsObject(), 409, "idempotency_conflict");
    }

    [Fact]
    public async Task An_idempotency_key_used_while_its_first_request_runs_is_409()
    {
        var (_, key, id) = await LinkedAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Insightly.AddFault(ScriptedFault.HeldUntil(key, "Contacts", release.Task, method: "POST"));
        var body = new JsonObject { ["last_name"] = "Slow" };

        var first = SendWithKey(id, "key-3", body);
        await WaitUntilAsync(() => host.Insightly.Requests.Any(r => r.ApiKey == key && r.Method == "POST"));
        var concurrent = await SendWithKey(id, "key-3", body);
        release.SetResult();

        Assert.Equal(HttpStatusCode.Conflict, concurrent.Status);
        Assert.Equal(HttpStatusCode.Created, (await first).Status);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 200 && !condition(); attempt++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "The first request never reached Insightly.");
    }

    [Fact]
    public async Task Idempotency_keys_are_scoped_to_the_account()
    {
        var (first, _, firstId) = await LinkedAsync();
        var (second, _, secondId) = await LinkedAsync();

        await SendWithKey(firstId, "shared-key", new JsonObject { ["last_name"] = "Mine" });
        var other = await SendWithKey(secondId, "shared-key", new JsonObject { ["last_name"] = "Mine" });

        Assert.Equal(HttpStatusCode.Created, other.Status);
        Assert.False(other.Replayed);
        Assert.Single(first.All("Contacts"));
        Assert.Single(second.All("Contacts"));
    }

    [Fact]
    public async Task A_refused_body_does_not_use_up_the_idempotency_key()
    {
        var (_, _, id) = await LinkedAsync();
        var refused = await SendWithKey(id, "key-4", new JsonObject { ["last_name"] = 5 });
        var fixedUp = await SendWithKey(id, "key-4", new JsonObject { ["last_name"] = "Fixed" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Created), (refused.Status, fixedUp.Status));
    }

    private async Task<(HttpStatusCode Status, string Body, bool Replayed)> SendWithKey(string accountId, string key, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"unified/crm/contacts?integrated_account_id={accountId}")
        {
            Content = JsonContent.Create(body),
            Headers = { { "Idempotency-Key", key } },
        };
        using var response = await host.Api.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotent-Replayed"));
    }

    private async Task<(FakeInstance Instance, string Key, string AccountId)> LinkedAsync()
    {
        var (instance, key) = host.NewInstance();
        instance.SeedStandardData();
        return (instance, key, (await host.LinkAsync(key)).Str("id"));
    }
}
