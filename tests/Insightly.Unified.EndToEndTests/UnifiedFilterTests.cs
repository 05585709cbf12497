using System.Net;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// Every list filter of the contract, each sent to Insightly as the one search or sub-collection it stands for (one call
/// a page), and finding its record; and the filters that go through a record's links, one call for the links and
/// one per record.
/// </summary>
public sealed class UnifiedFilterTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    /// <summary>Resource, filter, the Insightly path searched, the search parameter sent.</summary>
    public static TheoryData<string, string, string, string> Filters => new()
    {
        { "accounts", "name", "Organisations/Search", "field_name=ORGANISATION_NAME" },
        { "accounts", "tag", "Organisations/SearchByTag", "tagName=" },
        { "contacts", "email", "Contacts/Search", "field_name=EMAIL_ADDRESS" },
        { "contacts", "account_id", "Contacts/Search", "field_name=ORGANISATION_ID" },
        { "contacts", "tag", "Contacts/SearchByTag", "tagName=" },
        { "leads", "email", "Leads/Search", "field_name=EMAIL" },
        { "leads", "tag", "Leads/SearchByTag", "tagName=" },
        { "opportunities", "account_id", "Opportunities/Search", "field_name=ORGANISATION_ID" },
        { "opportunities", "tag", "Opportunities/SearchByTag", "tagName=" },
        { "projects", "tag", "Projects/SearchByTag", "tagName=" },
        { "tasks", "contact_id", "Contacts/{parent}/Tasks", "top=" },
        { "tasks", "account_id", "Organisations/{parent}/Tasks", "top=" },
        { "tasks", "lead_id", "Leads/{parent}/Tasks", "top=" },
        { "tasks", "opportunity_id", "Opportunities/{parent}/Tasks", "top=" },
        { "tasks", "project_id", "Projects/{parent}/Tasks", "top=" },
        { "notes", "contact_id", "Contacts/{parent}/Notes", "" },
        { "users", "email", "Users/Search", "field_name=EMAIL_ADDRESS" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task A_filter_becomes_one_Insightly_search_and_finds_its_record(string resource, string filter, string upstreamPath, string searchParameter)
    {
        var (instance, key) = host.NewInstance();
        instance.SeedStandardData();
        var id = (await host.LinkAsync(key)).Str("id");
        var (value, expectedId, parent) = Seed(instance, resource, filter);
        host.Insightly.ClearRequests();

        using var response = await host.Api.GetAsync($"unified/crm/{resource}?integrated_account_id={id}&{filter}={Uri.EscapeDataString(value)}");
        var page = await Json.ReadAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, page.Text());
        Assert.Equal([expectedId], page["result"]!.AsArray().Select(r => r.Str("id")));
        var call = Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && !ApiHostFixture.IsLookup(r.Path));
        Assert.Equal(upstreamPath.Replace("{parent}", parent), call.Path);
        Assert.Contains(searchParameter, call.QueryString, StringComparison.Ordinal);
    }

    /// <summary>Two records of the resource, one matching the filter; returns the filter value and the match's id.</summary>
    private static (string Value, string Id, string Parent) Seed(FakeInstance instance, string resource, string filter)
    {
        instance.Seed("Organisations", new JsonObject { ["ORGANISATION_ID"] = 55, ["ORGANISATION_NAME"] = "Acme", ["TAGS"] = Tags("hot") },
            new JsonObject { ["ORGANISATION_ID"] = 56, ["ORGANISATION_NAME"] = "Globex", ["TAGS"] = Tags() });
        instance.Seed("Opportunities", new JsonObject { ["OPPORTUNITY_ID"] = 77, ["OPPORTUNITY_NAME"] = "Deal", ["ORGANISATION_ID"] = 55, ["TAGS"] = Tags("hot") },
            new JsonObject { ["OPPORTUNITY_ID"] = 78, ["OPPORTUNITY_NAME"] = "Other", ["ORGANISATION_ID"] = 56, ["TAGS"] = Tags() });
        instance.Seed("Projects", new JsonObject { ["PROJECT_ID"] = 88, ["PROJECT_NAME"] = "Roll-out", ["TAGS"] = Tags("hot") },
            new JsonObject { ["PROJECT_ID"] = 89, ["PROJECT_NAME"] = "Other", ["TAGS"] = Tags() });
        instance.Seed("Contacts", new JsonObject { ["CONTACT_ID"] = 11, ["LAST_NAME"] = "Match", ["EMAIL_ADDRESS"] = "match@example.com", ["ORGANISATION_ID"] = 55, ["TAGS"] = Tags("hot") },
            new JsonObject { ["CONTACT_ID"] = 12, ["LAST_NAME"] = "Other", ["EMAIL_ADDRESS"] = "other@example.com", ["ORGANISATION_ID"] = 56, ["TAGS"] = Tags() });
        return (resource, filter) switch
        {
            ("accounts", "name") => ("Acme", "55", ""),
            ("accounts", "tag") => ("hot", "55", ""),
            ("contacts", "email") => ("match@example.com", "11", ""),
            ("contacts", "account_id") => ("55", "11", ""),
            ("contacts", "tag") => ("hot", "11", ""),
            ("leads", _) => Leads(instance, filter),
            ("opportunities", "account_id") => ("55", "77", ""),
            ("opportunities", "tag") => ("hot", "77", ""),
            ("projects", "tag") => ("hot", "88", ""),
            ("tasks", _) => Tasks(instance, filter),
            ("notes", _) => Notes(instance),
            ("users", "email") => ("ada@example.com", instance.All("Users")[0]["USER_ID"]!.GetValue<long>().ToString(), ""),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
    }

    private static (string, string, string) Leads(FakeInstance instance, string filter)
    {
        instance.Seed("Leads", new JsonObject { ["LEAD_ID"] = 21, ["LAST_NAME"] = "Match", ["EMAIL"] = "lead@example.com", ["TAGS"] = Tags("hot") },
            new JsonObject { ["LEAD_ID"] = 22, ["LAST_NAME"] = "Other", ["EMAIL"] = "other@example.com", ["TAGS"] = Tags() });
        return filter == "email" ? ("lead@example.com", "21", "") : ("hot", "21", "");
    }

    /// <summary>Task 31 is linked to contact 11, account 55 and lead 21 and belongs to opportunity 77; task 32 to project 88.</summary>
    private static (string, string, string) Tasks(FakeInstance instance, string filter)
    {
        instance.Seed("Leads", new JsonObject { ["LEAD_ID"] = 21, ["LAST_NAME"] = "Lead" });
        var links = new JsonArray([.. new[] { ("Contact", 11), ("Organisation", 55), ("Lead", 21) }.Select((l, i) => (JsonNode?)new JsonObject
        {
            ["LINK_ID"] = i + 1, ["OBJECT_NAME"] = "Task", ["OBJECT_ID"] = 31, ["LINK_OBJECT_NAME"] = l.Item1, ["LINK_OBJECT_ID"] = l.Item2,
        })]);
        instance.Seed("Tasks", new JsonObject { ["TASK_ID"] = 31, ["TITLE"] = "Match", ["OPPORTUNITY_ID"] = 77, ["LINKS"] = links },
            new JsonObject { ["TASK_ID"] = 32, ["TITLE"] = "Project task", ["PROJECT_ID"] = 88, ["LINKS"] = new JsonArray() },
            new JsonObject { ["TASK_ID"] = 33, ["TITLE"] = "Other", ["LINKS"] = new JsonArray() });
        return filter switch
        {
            "contact_id" => ("11", "31", "11"),
            "account_id" => ("55", "31", "55"),
            "lead_id" => ("21", "31", "21"),
            "opportunity_id" => ("77", "31", "77"),
            _ => ("88", "32", "88"),
        };
    }

    private static (string, string, string) Notes(FakeInstance instance)
    {
        var link = new JsonObject { ["LINK_ID"] = 1, ["OBJECT_NAME"] = "Note", ["OBJECT_ID"] = 41, ["LINK_OBJECT_NAME"] = "Contact", ["LINK_OBJECT_ID"] = 11 };
        instance.Seed("Notes", new JsonObject { ["NOTE_ID"] = 41, ["TITLE"] = "Match", ["LINKS"] = new JsonArray(link) },
            new JsonObject { ["NOTE_ID"] = 42, ["TITLE"] = "Other", ["LINKS"] = new JsonArray() });
        return ("11", "41", "11");
    }

    /// <summary>Resource, filter, the parent collection whose links are read.</summary>
    public static TheoryData<string, string, string> LinkedFilters => new()
    {
        { "opportunities", "contact_id", "Contacts" },
        { "projects", "contact_id", "Contacts" },
        { "projects", "account_id", "Organisations" },
    };

    [Theory]
    [MemberData(nameof(LinkedFilters))]
    public async Task A_linked_filter_reads_the_parents_links_then_each_linked_record(string resource, string filter, string parents)
    {
        var (instance, key) = host.NewInstance();
        instance.SeedStandardData();
        var id = (await host.LinkAsync(key)).Str("id");
        Seed(instance, "contacts", "email");
        var (collection, matching) = resource == "opportunities" ? ("Opportunities", 77L) : ("Projects", 88L);
        var parent = parents == "Contacts" ? 11L : 55L;
        instance.SeedLink(collection, matching, parents, parent);
        instance.SeedLink(collection, matching + 1, parents, parent == 11 ? 12 : 56);
        host.Insightly.ClearRequests();

        using var response = await host.Api.GetAsync($"unified/crm/{resource}?integrated_account_id={id}&{filter}={parent}");
        var page = await Json.ReadAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, page.Text());
        Assert.Equal([matching.ToString()], page["result"]!.AsArray().Select(r => r.Str("id")));
        Assert.Equal([$"GET {parents}/{parent}/Links", $"GET {collection}/{matching}"], host.RecordCalls(key));
    }

    [Fact]
    public async Task A_linked_filter_pages_by_25_records_each_one_call_with_one_more_for_the_links()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        instance.Seed("Contacts", new JsonObject { ["CONTACT_ID"] = 11, ["LAST_NAME"] = "Busy" });
        var deals = Enumerable.Range(0, 30).Select(i => 400_001L + i).ToList();
        instance.Seed("Opportunities", [.. deals.Select(d => new JsonObject { ["OPPORTUNITY_ID"] = d, ["OPPORTUNITY_NAME"] = $"Deal {d}" })]);
        deals.ForEach(d => instance.SeedLink("Opportunities", d, "Contacts", 11));
        host.Insightly.ClearRequests();

        var first = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/opportunities?integrated_account_id={id}&contact_id=11&limit=100"));
        var firstCalls = host.RecordCalls(key);
        host.Insightly.ClearRequests();
        var second = await Json.ReadAsync(await host.Api.GetAsync(
            $"unified/crm/opportunities?integrated_account_id={id}&contact_id=11&limit=100&next_cursor={Uri.EscapeDataString(first.Str("next_cursor"))}"));

        Assert.Equal(deals[..25].Select(d => d.ToString()), first["result"]!.AsArray().Select(r => r.Str("id")));
        Assert.Equal(deals[25..].Select(d => d.ToString()), second["result"]!.AsArray().Select(r => r.Str("id")));
        Assert.Null(second["next_cursor"]);
        Assert.Equal(26, firstCalls.Count);
        Assert.Equal(6, host.RecordCalls(key).Count);
    }

    [Fact]
    public async Task Updated_after_goes_upstream_with_a_parents_notes_and_is_applied_here_to_its_tasks_where_Insightly_documents_none()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        instance.Seed("Contacts", new JsonObject { ["CONTACT_ID"] = 11, ["LAST_NAME"] = "Busy" });
        JsonObject Linked(string collection, string idField, long recordId, string updated) => new()
        {
            [idField] = recordId, ["TITLE"] = $"{collection} {recordId}", ["DATE_UPDATED_UTC"] = updated,
            ["LINKS"] = new JsonArray(new JsonObject { ["LINK_ID"] = recordId, ["LINK_OBJECT_NAME"] = "Contact", ["LINK_OBJECT_ID"] = 11 }),
        };
        instance.Seed("Tasks", Linked("Tasks", "TASK_ID", 31, "2024-01-01 00:00:00"), Linked("Tasks", "TASK_ID", 32, "2024-07-01 00:00:00"));
        instance.Seed("Notes", Linked("Notes", "NOTE_ID", 41, "2024-01-01 00:00:00"), Linked("Notes", "NOTE_ID", 42, "2024-07-01 00:00:00"));
        host.Insightly.ClearRequests();

        var tasks = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/tasks?integrated_account_id={id}&contact_id=11&updated_after=2024-06-01T00:00:00Z"));
        var notes = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/notes?integrated_account_id={id}&contact_id=11&updated_after=2024-06-01T00:00:00Z"));

        Assert.Equal(["32"], tasks["result"]!.AsArray().Select(r => r.Str("id")));
        Assert.Equal(["42"], notes["result"]!.AsArray().Select(r => r.Str("id")));
        var calls = host.Insightly.Requests.Where(r => r.ApiKey == key && r.Path.StartsWith("Contacts/11/", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain("updated_after_utc", calls.Single(r => r.Path.EndsWith("Tasks", StringComparison.Ordinal)).QueryString, StringComparison.Ordinal);
        Assert.Contains("updated_after_utc=2024-05-31T23%3A59%3A59Z", calls.Single(r => r.Path.EndsWith("Notes", StringComparison.Ordinal)).QueryString, StringComparison.Ordinal);
    }

    private static JsonArray Tags(params string[] names) => new([.. names.Select(n => (JsonNode?)new JsonObject { ["TAG_NAME"] = n })]);
}
