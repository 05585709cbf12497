using System.Net;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Every list filter of the contract, each sent to Insightly as the one search it stands for, and finding its record.</summary>
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
        { "tasks", "opportunity_id", "Tasks/Search", "field_name=OPPORTUNITY_ID" },
        { "tasks", "project_id", "Tasks/Search", "field_name=PROJECT_ID" },
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
        var call = Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && !r.Path.StartsWith("CustomFields", StringComparison.Ordinal)
            && r.Path is not ("Pipelines" or "PipelineStages" or "LeadStatuses" or "LeadSources"));
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

    private static (string, string, string) Tasks(FakeInstance instance, string filter)
    {
        instance.Seed("Tasks", new JsonObject { ["TASK_ID"] = 31, ["TITLE"] = "Match", ["OPPORTUNITY_ID"] = 77 },
            new JsonObject { ["TASK_ID"] = 32, ["TITLE"] = "Project task", ["PROJECT_ID"] = 88 },
            new JsonObject { ["TASK_ID"] = 33, ["TITLE"] = "Other" });
        return filter == "opportunity_id" ? ("77", "31", "") : ("88", "32", "");
    }

    private static (string, string, string) Notes(FakeInstance instance)
    {
        var link = new JsonObject { ["LINK_ID"] = 1, ["OBJECT_NAME"] = "Note", ["OBJECT_ID"] = 41, ["LINK_OBJECT_NAME"] = "Contact", ["LINK_OBJECT_ID"] = 11 };
        instance.Seed("Notes", new JsonObject { ["NOTE_ID"] = 41, ["TITLE"] = "Match", ["LINKS"] = new JsonArray(link) },
            new JsonObject { ["NOTE_ID"] = 42, ["TITLE"] = "Other", ["LINKS"] = new JsonArray() });
        return ("11", "41", "11");
    }

    private static JsonArray Tags(params string[] names) => new([.. names.Select(n => (JsonNode?)new JsonObject { ["TAG_NAME"] = n })]);
}
