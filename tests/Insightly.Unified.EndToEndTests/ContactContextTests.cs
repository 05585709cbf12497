using System.Net;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary><c>GET /unified/crm/contacts/{id}/context</c>: a contact's whole context in one answer, within its documented call budget.</summary>
public sealed class ContactContextTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    private const long Contact = 100_001;
    private const long Organisation = 200_001;

    [Fact]
    public async Task The_context_holds_the_contact_its_account_open_opportunities_projects_open_tasks_and_latest_notes_in_nine_calls()
    {
        var (instance, key, id) = await LinkedAsync();
        SeedContact(instance, withOrganisation: true);
        var deals = SeedLinked(instance, "Opportunities", "OPPORTUNITY_ID", 400_001, 3, i => new JsonObject
        {
            ["OPPORTUNITY_NAME"] = $"Deal {i}", ["OPPORTUNITY_STATE"] = i == 1 ? "WON" : "OPEN",
        });
        var projects = SeedLinked(instance, "Projects", "PROJECT_ID", 500_001, 1, _ => new JsonObject { ["PROJECT_NAME"] = "Roll-out", ["STATUS"] = "IN PROGRESS" });
        instance.Seed("Opportunities", new JsonObject { ["OPPORTUNITY_ID"] = 400_099, ["OPPORTUNITY_NAME"] = "Someone else's", ["OPPORTUNITY_STATE"] = "OPEN" });
        instance.Seed("Tasks",
            Task(600_001, "Call back", completed: false), Task(600_002, "Sent quote", completed: true), Task(600_003, "Demo", completed: false),
            new JsonObject { ["TASK_ID"] = 600_099, ["TITLE"] = "Unrelated", ["LINKS"] = new JsonArray() });
        instance.Seed("Notes", [.. Enumerable.Range(1, 12).Select(i => new JsonObject
        {
            ["NOTE_ID"] = 700_000 + i, ["TITLE"] = $"Note {i}", ["LINKS"] = LinkTo("Note", 700_000 + i, "Contact", Contact),
        })]);
        await GetContextAsync(id); // the per-account lookups, read once and cached
        host.Insightly.ClearRequests();

        var context = await GetContextAsync(id);

        Assert.Equal(Contact.ToString(), context["contact"].Str("id"));
        Assert.Equal(Organisation.ToString(), context["account"].Str("id"));
        Assert.Equal([deals[0], deals[2]], Ids(context, "opportunities"));
        Assert.Equal(projects, Ids(context, "projects"));
        Assert.Equal([600_001L, 600_003L], Ids(context, "tasks"));
        Assert.Equal(Enumerable.Range(3, 10).Reverse().Select(i => 700_000L + i), Ids(context, "notes"));
        Assert.Empty(context["truncated"]!.AsArray());
        Assert.All(new[] { context["contact"], context["account"] }.Concat(Items(context)), item => Assert.False(item!.AsObject().ContainsKey("remote_data")));
        string[] expected =
        [
            $"GET Contacts/{Contact}", $"GET Organisations/{Organisation}", .. deals.Select(d => $"GET Opportunities/{d}"),
            .. projects.Select(p => $"GET Projects/{p}"), $"GET Contacts/{Contact}/Tasks?skip=0&top=500&count_total=true",
            $"GET Contacts/{Contact}/Notes?skip=0&top=10&count_total=true", $"GET Contacts/{Contact}/Notes?skip=2&top=10&count_total=true",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), host.RecordCalls(key, withQuery: true).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_contact_linked_to_more_opportunities_than_the_budget_reads_the_25_newest_and_says_so()
    {
        var (instance, key, id) = await LinkedAsync();
        SeedContact(instance, withOrganisation: false);
        var deals = SeedLinked(instance, "Opportunities", "OPPORTUNITY_ID", 400_001, 30, i => new JsonObject { ["OPPORTUNITY_NAME"] = $"Deal {i}", ["OPPORTUNITY_STATE"] = "OPEN" });
        await GetContextAsync(id);
        host.Insightly.ClearRequests();

        var context = await GetContextAsync(id);

        Assert.Equal(deals[5..], Ids(context, "opportunities"));
        Assert.Equal("""["opportunities"]""", context["truncated"].Text());
        Assert.Null(context["account"]);
        Assert.Equal(1 + 25 + 2, host.RecordCalls(key).Count);
    }

    [Fact]
    public async Task A_cold_context_reads_the_lookups_once_besides_its_record_calls()
    {
        var (instance, key, id) = await LinkedAsync();
        SeedContact(instance, withOrganisation: true);
        host.Insightly.ClearRequests();

        await GetContextAsync(id);
        var lookups = host.Insightly.Requests.Where(r => r.ApiKey == key && ApiHostFixture.IsLookup(r.Path)).Select(r => r.Path);

        // The custom fields of what may be mapped; no opportunity or project is linked, so nothing of theirs.
        Assert.Equal(["CustomFields/Contacts", "CustomFields/Organisations", "CustomFields/Tasks"], lookups.Order(StringComparer.Ordinal));
        Assert.Equal(4, host.RecordCalls(key).Count);
    }

    [Fact]
    public async Task Bad_requests_get_the_contracts_errors()
    {
        var (instance, _, id) = await LinkedAsync();
        SeedContact(instance, withOrganisation: false);

        var missing = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts/987654/context?integrated_account_id={id}"));
        var notAnId = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts/abc/context?integrated_account_id={id}"));
        var extra = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts/{Contact}/context?integrated_account_id={id}&include_remote_data=true"));
        var noAccount = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts/{Contact}/context"));
        using var posted = await host.Api.PostAsync($"unified/crm/contacts/{Contact}/context?integrated_account_id={id}", null);

        Json.AssertError(missing, 404, "not_found");
        Json.AssertError(notAnId, 400, "invalid_parameter");
        Json.AssertError(extra, 400, "invalid_parameter");
        Assert.Equal("include_remote_data", extra["details"].Str("parameter"));
        Json.AssertError(noAccount, 400, "missing_parameter");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.StatusCode);
        Assert.Equal(["GET"], posted.Content.Headers.Allow);
    }

    private async Task<(FakeInstance Instance, string Key, string AccountId)> LinkedAsync()
    {
        var (instance, key) = host.NewInstance();
        instance.SeedStandardData();
        return (instance, key, (await host.LinkAsync(key)).Str("id"));
    }

    private async Task<JsonObject> GetContextAsync(string accountId)
    {
        using var response = await host.Api.GetAsync($"unified/crm/contacts/{Contact}/context?integrated_account_id={accountId}");
        var context = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, context.Text());
        return context;
    }

    private static void SeedContact(FakeInstance instance, bool withOrganisation)
    {
        if (withOrganisation)
        {
            instance.Seed("Organisations", new JsonObject { ["ORGANISATION_ID"] = Organisation, ["ORGANISATION_NAME"] = "Acme", ["LINKS"] = new JsonArray() });
        }

        instance.Seed("Contacts", new JsonObject
        {
            ["CONTACT_ID"] = Contact, ["FIRST_NAME"] = "Zoë", ["LAST_NAME"] = "Núñez",
            ["ORGANISATION_ID"] = withOrganisation ? Organisation : null, ["LINKS"] = new JsonArray(),
        });
    }

    /// <summary>Records linked to the contact at both ends, ids from <paramref name="firstId"/> up.</summary>
    private static List<long> SeedLinked(FakeInstance instance, string collection, string idField, long firstId, int count, Func<int, JsonObject> fields)
    {
        var ids = Enumerable.Range(0, count).Select(i => firstId + i).ToList();
        foreach (var (recordId, i) in ids.Select((recordId, i) => (recordId, i)))
        {
            var record = fields(i);
            record[idField] = recordId;
            record["LINKS"] = new JsonArray();
            instance.Seed(collection, record);
            instance.SeedLink(collection, recordId, "Contacts", Contact);
        }

        return ids;
    }

    private static JsonObject Task(long id, string title, bool completed) => new()
    {
        ["TASK_ID"] = id, ["TITLE"] = title, ["COMPLETED"] = completed, ["STATUS"] = completed ? "COMPLETED" : "IN PROGRESS",
        ["LINKS"] = LinkTo("Task", id, "Contact", Contact),
    };

    private static JsonArray LinkTo(string owner, long ownerId, string objectName, long id) => new(new JsonObject
    {
        ["LINK_ID"] = ownerId + 1_000_000, ["OBJECT_NAME"] = owner, ["OBJECT_ID"] = ownerId, ["LINK_OBJECT_NAME"] = objectName, ["LINK_OBJECT_ID"] = id,
    });

    private static IEnumerable<JsonNode?> Items(JsonObject context) =>
        new[] { "opportunities", "projects", "tasks", "notes" }.SelectMany(section => context[section]!.AsArray());

    private static List<long> Ids(JsonObject context, string section) => [.. context[section]!.AsArray().Select(item => long.Parse(item.Str("id")))];
}
