using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// Values a real account must get right where the fake is as strict as Insightly's documentation: an opportunity's
/// value and bid, dates that are dates, links changed only through <c>/Links</c>, and states and statuses spelt
/// as the account spells them.
/// </summary>
public sealed class UnifiedFidelityTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task An_opportunity_reads_Insightlys_computed_value_as_its_amount_and_its_bid_terms_beside_it()
    {
        var (instance, _, id) = await LinkedAsync();

        var created = await SendAsync(HttpMethod.Post, $"opportunities?integrated_account_id={id}", new JsonObject
        {
            ["name"] = "Support retainer",
            ["bid"] = new JsonObject { ["type"] = "per_month", ["amount"] = 150.5, ["duration"] = 12 },
        });
        var stored = instance.Find("Opportunities", long.Parse(created.Str("id")))!;

        Assert.Equal(("Per Month", 150.5m, 12L, 1806m), (stored.Str("BID_TYPE"), stored["BID_AMOUNT"]!.GetValue<decimal>(),
            stored["BID_DURATION"]!.GetValue<long>(), stored["OPPORTUNITY_VALUE"]!.GetValue<decimal>()));
        Assert.Equal(1806m, created["amount"]!.GetValue<decimal>());
        Json.Equal("""{"type": "per_month", "amount": 150.5, "duration": 12}""", created["bid"]);
    }

    [Fact]
    public async Task Writing_an_amount_makes_a_fixed_bid_and_the_value_Insightly_computes_is_that_amount()
    {
        var (instance, _, id) = await LinkedAsync();
        var created = await SendAsync(HttpMethod.Post, $"opportunities?integrated_account_id={id}", new JsonObject
        {
            ["name"] = "Licence", ["bid"] = new JsonObject { ["type"] = "per_year", ["amount"] = 1000, ["duration"] = 3 },
        });

        var patched = await SendAsync(HttpMethod.Patch, $"opportunities/{created.Str("id")}?integrated_account_id={id}", new JsonObject { ["amount"] = 2500 });
        var stored = instance.Find("Opportunities", long.Parse(created.Str("id")))!;

        Assert.Equal(("Fixed Bid", 2500m, 2500m), (stored.Str("BID_TYPE"), stored["BID_AMOUNT"]!.GetValue<decimal>(), stored["OPPORTUNITY_VALUE"]!.GetValue<decimal>()));
        Assert.Null(stored["BID_DURATION"]);
        Assert.Equal(2500m, patched["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task An_amount_contradicting_the_bid_is_400_and_the_value_itself_cannot_be_written()
    {
        var (_, key, id) = await LinkedAsync();
        host.Insightly.ClearRequests();

        var contradiction = await Json.ReadAsync(await host.Api.PostAsJsonAsync($"unified/crm/opportunities?integrated_account_id={id}", new JsonObject
        {
            ["name"] = "x", ["amount"] = 100, ["bid"] = new JsonObject { ["type"] = "per_hour", ["amount"] = 50, ["duration"] = 3 },
        }));
        var value = await Json.ReadAsync(await host.Api.PostAsJsonAsync($"unified/crm/opportunities?integrated_account_id={id}", new JsonObject
        {
            ["name"] = "x", ["remote_data"] = new JsonObject { ["OPPORTUNITY_VALUE"] = 100 },
        }));

        Json.AssertError(contradiction, 400, "invalid_body");
        Assert.Equal("""["amount","bid"]""", contradiction["details"]!["fields"].Text());
        Json.AssertError(value, 422, "remote_validation_error");
        Assert.Contains("OPPORTUNITY_VALUE", value.Str("message"), StringComparison.Ordinal);
        Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r.Method == "POST");
    }

    [Fact]
    public async Task Actual_close_start_and_completion_dates_are_plain_dates_both_ways_and_a_time_is_refused()
    {
        var (instance, key, id) = await LinkedAsync();

        var deal = await SendAsync(HttpMethod.Post, $"opportunities?integrated_account_id={id}", new JsonObject
        {
            ["name"] = "Closed deal", ["close_date"] = "2025-10-26", ["actual_close_date"] = "2025-10-27",
        });
        var project = await SendAsync(HttpMethod.Post, $"projects?integrated_account_id={id}", new JsonObject
        {
            ["name"] = "Roll-out", ["start_date"] = "2025-03-30", ["completion_date"] = "2025-11-02",
        });
        host.Insightly.ClearRequests();
        var timed = await Json.ReadAsync(await host.Api.PatchAsJsonAsync($"unified/crm/projects/{project.Str("id")}?integrated_account_id={id}",
            new JsonObject { ["completion_date"] = "2025-11-02T17:30:00Z" }));

        Assert.Equal("2025-10-27 00:00:00", instance.Find("Opportunities", long.Parse(deal.Str("id")))!.Str("ACTUAL_CLOSE_DATE"));
        Assert.Equal(("2025-10-26", "2025-10-27"), (deal.Str("close_date"), deal.Str("actual_close_date")));
        Assert.Equal(("2025-03-30", "2025-11-02"), (project.Str("start_date"), project.Str("completion_date")));
        Json.AssertError(timed, 400, "invalid_body");
        Assert.Equal("""["completion_date"]""", timed["details"]!["fields"].Text());
        Assert.Contains("without a time", timed.Str("message"), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Insightly.Requests, r => r.ApiKey == key && r.Method != "GET");
    }

    [Fact]
    public async Task An_opportunitys_contacts_are_linked_through_Links_at_both_ends_and_a_patch_adds_and_removes_only_what_changed()
    {
        var (instance, key, id) = await LinkedAsync();
        var contacts = instance.SeedContacts(3).Select(c => c["CONTACT_ID"]!.GetValue<long>()).ToList();
        host.Insightly.ClearRequests();

        var created = await SendAsync(HttpMethod.Post, $"opportunities?integrated_account_id={id}", new JsonObject
        {
            ["name"] = "Linked deal", ["contacts"] = Refs(contacts[0], contacts[1]),
        });
        var deal = long.Parse(created.Str("id"));
        var createCalls = host.RecordCalls(key);
        host.Insightly.ClearRequests();
        var patched = await SendAsync(HttpMethod.Patch, $"opportunities/{deal}?integrated_account_id={id}", new JsonObject
        {
            ["contacts"] = Refs(contacts[1], contacts[2]),
        });
        var patchCalls = host.RecordCalls(key);
        var removed = instance.All("Contacts").Single(c => c["CONTACT_ID"]!.GetValue<long>() == contacts[0]);

        Assert.Equal(["POST Opportunities", $"POST Opportunities/{deal}/Links", $"POST Opportunities/{deal}/Links", $"GET Opportunities/{deal}"], createCalls);
        Assert.Equal([$"GET Opportunities/{deal}/Links", $"POST Opportunities/{deal}/Links", $"DELETE Opportunities/{deal}/Links/", $"GET Opportunities/{deal}"],
            patchCalls.Select(c => c.StartsWith("DELETE", StringComparison.Ordinal) ? c[..c.LastIndexOf('/')] + "/" : c));
        Assert.Equal(contacts[1..].Select(c => c.ToString()), patched["contacts"]!.AsArray().Select(c => c.Str("id")));
        Assert.Equal([contacts[1], contacts[2]], LinkedIds(instance.Find("Opportunities", deal)!, "Contact"));
        Assert.Equal([deal], LinkedIds(instance.Find("Contacts", contacts[2])!, "Opportunity"));
        Assert.Empty(LinkedIds(removed, "Opportunity"));
        var body = host.Insightly.Requests.Last(r => r.ApiKey == key && r.Method == "POST").Json()!;
        Json.Equal($$"""{"OBJECT_NAME": "Opportunity", "OBJECT_ID": {{deal}}, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": {{contacts[2]}}}""", body);
    }

    [Fact]
    public async Task A_link_Insightly_refuses_after_the_record_was_saved_is_an_error_saying_what_was_applied()
    {
        var (instance, _, id) = await LinkedAsync();
        var contact = instance.SeedContacts(1)[0]["CONTACT_ID"]!.GetValue<long>();
        var task = await SendAsync(HttpMethod.Post, $"tasks?integrated_account_id={id}", new JsonObject { ["subject"] = "Call" });

        using var response = await host.Api.PatchAsJsonAsync($"unified/crm/tasks/{task.Str("id")}?integrated_account_id={id}", new JsonObject
        {
            ["subject"] = "Call back", ["contacts"] = Refs(contact, 987654321),
        });
        var error = await Json.ReadAsync(response);

        Json.AssertError(error, 422, "remote_validation_error");
        Assert.Equal($$"""["fields","link contact {{contact}}"]""", error["details"]!["applied"].Text());
        Assert.Equal("""["link contact 987654321"]""", error["details"]!["not_applied"].Text());
        var stored = instance.Find("Tasks", long.Parse(task.Str("id")))!;
        Assert.Equal("Call back", stored.Str("TITLE"));
        Assert.Equal([contact], LinkedIds(stored, "Contact"));
    }

    [Fact]
    public async Task A_task_status_is_written_as_the_accounts_own_records_spell_it_once_one_was_read()
    {
        var (instance, key, id) = await LinkedAsync(ChoiceSpelling.TitleCase);
        instance.Seed("Tasks", new JsonObject { ["TASK_ID"] = 600_101, ["TITLE"] = "Seen", ["STATUS"] = "In Progress", ["LINKS"] = new JsonArray() },
            new JsonObject { ["TASK_ID"] = 600_102, ["TITLE"] = "Changed", ["STATUS"] = "Not Started", ["LINKS"] = new JsonArray() });
        var patch = new JsonObject { ["status"] = "completed" };

        // Nothing read yet: the documented spelling, which this account does not take.
        var guessed = await Json.ReadAsync(await host.Api.PatchAsJsonAsync($"unified/crm/tasks/600102?integrated_account_id={id}", patch));
        await SendAsync(HttpMethod.Get, $"tasks/600101?integrated_account_id={id}", null);
        var spelt = await SendAsync(HttpMethod.Patch, $"tasks/600102?integrated_account_id={id}", patch);

        Json.AssertError(guessed, 422, "remote_validation_error");
        Assert.Contains("'Completed'", guessed.Str("message"), StringComparison.Ordinal);
        Assert.Equal("completed", spelt.Str("status"));
        Assert.Equal("Completed", instance.Find("Tasks", 600_102)!.Str("STATUS"));
        Assert.Equal("""{"STATUS":"Completed","TASK_ID":600102}""", host.Insightly.Requests.Last(r => r.ApiKey == key && r.Method == "PUT").Body);
    }

    [Fact]
    public async Task An_opportunity_state_change_follows_the_accounts_spelling_seen_in_a_list()
    {
        var (instance, _, id) = await LinkedAsync(ChoiceSpelling.TitleCase);
        instance.Seed("Opportunities", new JsonObject { ["OPPORTUNITY_ID"] = 400_101, ["OPPORTUNITY_NAME"] = "Open deal", ["OPPORTUNITY_STATE"] = "Open" });

        await SendAsync(HttpMethod.Get, $"opportunities?integrated_account_id={id}", null);
        var won = await SendAsync(HttpMethod.Patch, $"opportunities/400101?integrated_account_id={id}", new JsonObject { ["status"] = "won" });

        Assert.Equal("won", won.Str("status"));
        Assert.Equal("Won", instance.Find("Opportunities", 400_101)!.Str("OPPORTUNITY_STATE"));
    }

    private async Task<(FakeInstance Instance, string Key, string AccountId)> LinkedAsync(ChoiceSpelling spelling = ChoiceSpelling.UpperCase)
    {
        var (instance, key) = host.NewInstance();
        instance.StateSpelling = spelling;
        instance.SeedStandardData();
        return (instance, key, (await host.LinkAsync(key)).Str("id"));
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, "unified/crm/" + path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await host.Api.SendAsync(request);
        var answer = await Json.ReadAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {answer.Text()}");
        return answer;
    }

    private static JsonArray Refs(params long[] ids) => new([.. ids.Select(i => (JsonNode?)new JsonObject { ["id"] = i.ToString() })]);

    private static List<long> LinkedIds(JsonObject record, string objectName) =>
        [.. (record["LINKS"] as JsonArray ?? []).Where(l => l.Str("LINK_OBJECT_NAME") == objectName).Select(l => l!["LINK_OBJECT_ID"]!.GetValue<long>())];
}
