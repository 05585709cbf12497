using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// Every writable resource: create, read back, patch and delete through the unified API, with the record the fake
/// stored checked column by column after each write.
/// </summary>
public sealed class UnifiedResourceCrudTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Accounts_are_created_patched_and_deleted_as_organisations()
    {
        var (instance, _, id) = await LinkedAsync();
        var created = await CreateAsync(id, "accounts", new JsonObject
        {
            ["name"] = "Société Générale d'Électricité",
            ["description"] = "Utility",
            ["website"] = "https://sge.example",
            ["phone_numbers"] = new JsonArray(new JsonObject { ["number"] = "+33 1", ["type"] = "work" }, new JsonObject { ["number"] = "+33 2", ["type"] = "fax" }),
            ["addresses"] = new JsonArray(new JsonObject { ["street_1"] = "1 rue", ["city"] = "Paris", ["type"] = "billing" }),
            ["custom_fields"] = new JsonObject { ["Segment__c"] = "SMB" },
        });
        var stored = instance.Find("Organisations", Id(created))!;
        Assert.Equal(("Société Générale d'Électricité", "Utility", "https://sge.example"), (stored.Str("ORGANISATION_NAME"), stored.Str("BACKGROUND"), stored.Str("WEBSITE")));
        Assert.Equal(("+33 1", "+33 2", "1 rue", "Paris"), (stored.Str("PHONE"), stored.Str("PHONE_FAX"), stored.Str("ADDRESS_BILLING_STREET"), stored.Str("ADDRESS_BILLING_CITY")));

        var patched = await PatchAsync(id, "accounts", created, new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["city"] = "Lyon", ["type"] = "shipping" }),
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "partner" }),
        });
        stored = instance.Find("Organisations", Id(created))!;
        Assert.Equal((null, null, "Lyon"), (stored["ADDRESS_BILLING_STREET"]?.GetValue<string>(), stored["ADDRESS_BILLING_CITY"]?.GetValue<string>(), stored.Str("ADDRESS_SHIP_CITY")));
        Assert.Equal("""[{"name":"partner"}]""", patched["tags"].Text());
        Assert.Equal("Utility", patched.Str("description"));

        await DeleteAsync(id, "accounts", created);
        Assert.Null(instance.Find("Organisations", Id(created)));
    }

    [Fact]
    public async Task Leads_use_their_own_columns_and_name_their_status_and_source()
    {
        var (instance, data, id) = await LinkedAsync();
        var user = instance.All("Users")[0]["USER_ID"]!.GetValue<long>();
        var created = await CreateAsync(id, "leads", new JsonObject
        {
            ["first_name"] = "José",
            ["last_name"] = "Núñez",
            ["company_name"] = "Acme",
            ["email_addresses"] = new JsonArray(new JsonObject { ["email"] = "jose@acme.example" }),
            ["phone_numbers"] = new JsonArray(new JsonObject { ["number"] = "600", ["type"] = "mobile" }),
            ["addresses"] = new JsonArray(new JsonObject { ["city"] = "Madrid", ["type"] = "primary" }),
            ["number_of_employees"] = 250,
            ["rating"] = 4,
            ["status"] = new JsonObject { ["id"] = data.DefaultLeadStatusId.ToString() },
            ["source"] = new JsonObject { ["id"] = data.DefaultLeadSourceId.ToString() },
            ["assignee"] = new JsonObject { ["id"] = user.ToString() },
        });
        var stored = instance.Find("Leads", Id(created))!;
        Assert.Equal(("jose@acme.example", "600", "Madrid", "Acme"), (stored.Str("EMAIL"), stored.Str("MOBILE"), stored.Str("ADDRESS_CITY"), stored.Str("ORGANISATION_NAME")));
        Assert.Equal((250L, 4L, user), (stored["EMPLOYEE_COUNT"]!.GetValue<long>(), stored["LEAD_RATING"]!.GetValue<long>(), stored["RESPONSIBLE_USER_ID"]!.GetValue<long>()));
        Assert.Equal(data.DefaultLeadStatusId, stored["LEAD_STATUS_ID"]!.GetValue<long>());
        var statusName = instance.All("LeadStatuses").Single(s => s["LEAD_STATUS_ID"]!.GetValue<long>() == data.DefaultLeadStatusId).Str("LEAD_STATUS");
        Assert.Equal(statusName, created["status"].Str("name"));
        Assert.False(string.IsNullOrEmpty(created["source"].Str("name")));
        Assert.False(created["is_converted"]!.GetValue<bool>());

        var patched = await PatchAsync(id, "leads", created, new JsonObject { ["email_addresses"] = new JsonArray(), ["industry"] = "Energy" });
        stored = instance.Find("Leads", Id(created))!;
        Assert.Equal((null, "Energy"), (stored["EMAIL"]?.GetValue<string>(), stored.Str("INDUSTRY")));
        Assert.Equal("[]", patched["email_addresses"].Text());

        await DeleteAsync(id, "leads", created);
        Assert.Null(instance.Find("Leads", Id(created)));
    }

    [Fact]
    public async Task Tasks_map_status_priority_dates_and_links()
    {
        var (instance, _, id) = await LinkedAsync();
        var contacts = instance.SeedContacts(2);
        var organisation = instance.SeedOrganisations(1)[0];
        var created = await CreateAsync(id, "tasks", new JsonObject
        {
            ["subject"] = "Call back",
            ["content"] = "About the renewal",
            ["status"] = "in_progress",
            ["priority"] = "high",
            ["due_date"] = "2025-10-26",
            ["start_date"] = "2025-10-20",
            ["contacts"] = new JsonArray(Ref(contacts[0]["CONTACT_ID"]!), Ref(contacts[1]["CONTACT_ID"]!)),
            ["accounts"] = new JsonArray(Ref(organisation["ORGANISATION_ID"]!)),
        });
        var stored = instance.Find("Tasks", Id(created))!;
        Assert.Equal(("Call back", "About the renewal", "IN PROGRESS", 3L), (stored.Str("TITLE"), stored.Str("DETAILS"), stored.Str("STATUS"), stored["PRIORITY"]!.GetValue<long>()));
        Assert.Equal(("2025-10-26 00:00:00", "2025-10-20 00:00:00"), (stored.Str("DUE_DATE"), stored.Str("START_DATE")));
        Assert.Equal(3, stored["LINKS"]!.AsArray().Count);
        Assert.Equal(("in_progress", "high", "2025-10-26"), (created.Str("status"), created.Str("priority"), created.Str("due_date")));
        Assert.Equal(2, created["contacts"]!.AsArray().Count);

        // Replacing the contacts keeps the account link, which the PATCH does not name.
        var patched = await PatchAsync(id, "tasks", created, new JsonObject
        {
            ["contacts"] = new JsonArray(Ref(contacts[1]["CONTACT_ID"]!)),
            ["status"] = "completed",
            ["is_completed"] = true,
            ["completed_at"] = "2025-10-27T09:15:00Z",
        });
        stored = instance.Find("Tasks", Id(created))!;
        Assert.Equal(("COMPLETED", true, "2025-10-27 09:15:00"), (stored.Str("STATUS"), stored["COMPLETED"]!.GetValue<bool>(), stored.Str("COMPLETED_DATE_UTC")));
        Assert.Equal([contacts[1]["CONTACT_ID"]!.GetValue<long>().ToString()], patched["contacts"]!.AsArray().Select(c => c.Str("id")));
        Assert.Equal([organisation["ORGANISATION_ID"]!.GetValue<long>().ToString()], patched["accounts"]!.AsArray().Select(c => c.Str("id")));
        Assert.Equal("2025-10-27T09:15:00Z", patched.Str("completed_at"));

        await DeleteAsync(id, "tasks", created);
        Assert.Null(instance.Find("Tasks", Id(created)));
    }

    [Fact]
    public async Task Projects_move_through_their_pipeline_after_the_record_is_written()
    {
        var (instance, data, id) = await LinkedAsync();
        var created = await CreateAsync(id, "projects", new JsonObject
        {
            ["name"] = "Roll-out",
            ["status"] = "in_progress",
            ["start_date"] = "2025-01-06",
            ["pipeline"] = new JsonObject { ["id"] = data.Delivery.Id.ToString() },
        });
        var stored = instance.Find("Projects", Id(created))!;
        Assert.Equal(("Roll-out", "IN PROGRESS", "2025-01-06 00:00:00"), (stored.Str("PROJECT_NAME"), stored.Str("STATUS"), stored.Str("STARTED_DATE")));
        Assert.Equal("2025-01-06", created.Str("start_date"));
        Assert.Equal((data.Delivery.Id, data.Delivery.StageIds[0]), (stored["PIPELINE_ID"]!.GetValue<long>(), stored["STAGE_ID"]!.GetValue<long>()));
        Assert.Equal((data.Delivery.Id.ToString(), data.Delivery.Name), (created["pipeline"].Str("id"), created["pipeline"].Str("name")));
        Assert.Equal(data.Delivery.StageIds[0].ToString(), created["stage"].Str("id"));

        var patched = await PatchAsync(id, "projects", created, new JsonObject { ["stage"] = new JsonObject { ["id"] = data.Delivery.StageIds[1].ToString() } });
        Assert.Equal(data.Delivery.StageIds[1], instance.Find("Projects", Id(created))!["STAGE_ID"]!.GetValue<long>());
        Assert.False(string.IsNullOrEmpty(patched["stage"].Str("name")));

        var cleared = await PatchAsync(id, "projects", created, new JsonObject { ["pipeline"] = null });
        Assert.Null(instance.Find("Projects", Id(created))!["PIPELINE_ID"]);
        Assert.Null(cleared["stage"]);

        await DeleteAsync(id, "projects", created);
        Assert.Null(instance.Find("Projects", Id(created)));
    }

    [Theory]
    [InlineData("contact", "Contacts", "Contact")]
    [InlineData("account", "Organisations", "Organisation")]
    [InlineData("lead", "Leads", "Lead")]
    [InlineData("opportunity", "Opportunities", "Opportunity")]
    [InlineData("project", "Projects", "Project")]
    public async Task A_note_is_created_under_its_parent_and_listed_through_it(string parent, string collection, string objectName)
    {
        var (instance, _, id) = await LinkedAsync();
        instance.Seed(collection, Minimal(collection));
        var parentId = instance.All(collection).Last()[collection == "Organisations" ? "ORGANISATION_ID" : objectName.ToUpperInvariant() + "_ID"]!.GetValue<long>();
        host.Insightly.ClearRequests();

        var created = await CreateAsync(id, "notes", new JsonObject
        {
            ["title"] = "Kick-off",
            ["content"] = "<p>Agreed next steps</p>",
            [parent] = new JsonObject { ["id"] = parentId.ToString() },
        });

        Assert.Contains(host.Insightly.Requests, r => r.Method == "POST" && r.Path == $"{collection}/{parentId}/Notes");
        var stored = instance.Find("Notes", Id(created))!;
        Assert.Equal(("Kick-off", "<p>Agreed next steps</p>"), (stored.Str("TITLE"), stored.Str("BODY")));
        var links = created[parent == "account" ? "accounts" : parent == "opportunity" ? "opportunities" : parent + "s"]!.AsArray();
        Assert.Equal([parentId.ToString()], links.Select(l => l.Str("id")));

        var listed = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/notes?integrated_account_id={id}&{parent}_id={parentId}"));
        Assert.Equal([created.Str("id")], listed["result"]!.AsArray().Select(n => n.Str("id")));

        var patched = await PatchAsync(id, "notes", created, new JsonObject { ["content"] = "Revised" });
        Assert.Equal("Revised", instance.Find("Notes", Id(created))!.Str("BODY"));
        Assert.Equal("Kick-off", patched.Str("title"));

        await DeleteAsync(id, "notes", created);
        Assert.Null(instance.Find("Notes", Id(created)));
    }

    [Theory]
    [InlineData("{\"title\":\"Orphan\"}")]
    [InlineData("{\"title\":\"Twins\",\"contact\":{\"id\":\"1\"},\"lead\":{\"id\":\"2\"}}")]
    public async Task A_note_needs_exactly_one_parent(string body)
    {
        var (_, _, id) = await LinkedAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var error = await Json.ReadAsync(await host.Api.PostAsync($"unified/crm/notes?integrated_account_id={id}", content));
        Json.AssertError(error, 400, "invalid_body");
        Assert.Contains("parent", error["details"]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    private static JsonObject Ref(JsonNode id) => new() { ["id"] = id.GetValue<long>().ToString() };

    private static long Id(JsonObject unified) => long.Parse(unified.Str("id"));

    private static JsonObject Minimal(string collection) => collection switch
    {
        "Contacts" => new JsonObject { ["LAST_NAME"] = "Parent" },
        "Organisations" => new JsonObject { ["ORGANISATION_NAME"] = "Parent Ltd" },
        "Leads" => new JsonObject { ["LAST_NAME"] = "Parent" },
        "Opportunities" => new JsonObject { ["OPPORTUNITY_NAME"] = "Parent deal" },
        _ => new JsonObject { ["PROJECT_NAME"] = "Parent project" },
    };

    private async Task<JsonObject> CreateAsync(string accountId, string resource, JsonObject body)
    {
        using var response = await host.Api.PostAsJsonAsync($"unified/crm/{resource}?integrated_account_id={accountId}", body);
        var created = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, created.Text());
        var read = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/{resource}/{created.Str("id")}?integrated_account_id={accountId}"));
        Assert.Equal(created.Text(), read.Text());
        return created;
    }

    private async Task<JsonObject> PatchAsync(string accountId, string resource, JsonObject record, JsonObject body)
    {
        using var response = await host.Api.PatchAsJsonAsync($"unified/crm/{resource}/{record.Str("id")}?integrated_account_id={accountId}", body);
        var patched = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, patched.Text());
        return patched;
    }

    private async Task DeleteAsync(string accountId, string resource, JsonObject record)
    {
        using var response = await host.Api.DeleteAsync($"unified/crm/{resource}/{record.Str("id")}?integrated_account_id={accountId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(FakeInstance Instance, StandardData Data, string AccountId)> LinkedAsync()
    {
        var (instance, key) = host.NewInstance();
        var data = instance.SeedStandardData();
        return (instance, data, (await host.LinkAsync(key)).Str("id"));
    }
}
