using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Create, read, update and delete through the unified API, with what reached the fake checked field by field.</summary>
public sealed class UnifiedWriteTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Creating_a_contact_writes_Insightly_columns_and_answers_201_with_the_unified_contact()
    {
        var (instance, data, id) = await LinkedAsync();
        var organisation = instance.SeedOrganisations(1)[0];
        var organisationId = organisation["ORGANISATION_ID"]!.GetValue<long>();

        using var response = await Post(id, "contacts", new JsonObject
        {
            ["first_name"] = "Zoë",
            ["last_name"] = "Ångström",
            ["title"] = "CTO",
            ["description"] = "Met at the fair",
            ["account"] = new JsonObject { ["id"] = organisationId.ToString() },
            ["email_addresses"] = new JsonArray(new JsonObject { ["email"] = "zoe@example.com", ["type"] = "work" }),
            ["phone_numbers"] = new JsonArray(new JsonObject { ["number"] = "+46 8 123", ["type"] = "mobile" }, new JsonObject { ["number"] = "+46 8 456", ["type"] = "work" }),
            ["addresses"] = new JsonArray(new JsonObject { ["street_1"] = "Storgatan 1", ["city"] = "Stockholm", ["country"] = "Sweden", ["type"] = "mailing" }),
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "vip" }),
            ["custom_fields"] = new JsonObject
            {
                ["Segment__c"] = "Enterprise",
                ["Renewal_Date__c"] = "2025-03-30",
                ["Last_Reviewed__c"] = "2025-03-30T01:30:00Z",
                ["Score__c"] = 7,
                ["Is_Vip__c"] = true,
                ["Interests__c"] = new JsonArray("Golf", "Wine"),
                ["Related_Organisation__c"] = organisationId.ToString(),
            },
            ["remote_data"] = new JsonObject { ["SALUTATION"] = "Dr" },
        });
        var created = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = instance.Find("Contacts", long.Parse(created.Str("id")))!;
        Assert.Equal(("Zoë", "Ångström", "CTO", "Met at the fair"), (stored.Str("FIRST_NAME"), stored.Str("LAST_NAME"), stored.Str("TITLE"), stored.Str("BACKGROUND")));
        Assert.Equal(organisationId, stored["ORGANISATION_ID"]!.GetValue<long>());
        Assert.Equal(("zoe@example.com", "+46 8 123", "+46 8 456"), (stored.Str("EMAIL_ADDRESS"), stored.Str("PHONE_MOBILE"), stored.Str("PHONE")));
        Assert.Equal(("Storgatan 1", "Stockholm", "Sweden"), (stored.Str("ADDRESS_MAIL_STREET"), stored.Str("ADDRESS_MAIL_CITY"), stored.Str("ADDRESS_MAIL_COUNTRY")));
        Assert.Equal("Dr", stored.Str("SALUTATION"));
        Assert.Equal("""[{"TAG_NAME":"vip"}]""", stored["TAGS"].Text());
        var custom = stored["CUSTOMFIELDS"]!.AsArray().ToDictionary(f => f.Str("FIELD_NAME"), f => f!["FIELD_VALUE"]);
        Assert.Equal("Enterprise", custom["Segment__c"]!.GetValue<string>());
        Assert.Equal("2025-03-30 00:00:00", custom["Renewal_Date__c"]!.GetValue<string>());
        Assert.Equal("2025-03-30 01:30:00", custom["Last_Reviewed__c"]!.GetValue<string>());
        Assert.Equal(7, custom["Score__c"]!.GetValue<int>());
        Assert.True(custom["Is_Vip__c"]!.GetValue<bool>());
        Assert.Equal("Golf;Wine", custom["Interests__c"]!.GetValue<string>());
        Assert.Equal(organisationId, custom["Related_Organisation__c"]!.GetValue<long>());

        Assert.Equal("Zoë Ångström", created.Str("name"));
        Assert.Equal(organisationId.ToString(), created["account"].Str("id"));
        Assert.Equal("""["Golf","Wine"]""", created["custom_fields"]!["Interests__c"].Text());
        Assert.Equal("2025-03-30", created["custom_fields"].Str("Renewal_Date__c"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", created.Str("created_at"));
        Assert.NotNull(data);
    }

    [Fact]
    public async Task Patching_phone_numbers_replaces_them_all_and_null_clears_a_field()
    {
        var (instance, _, id) = await LinkedAsync();
        var contact = await Json.ReadAsync(await Post(id, "contacts", new JsonObject
        {
            ["last_name"] = "Hopper",
            ["title"] = "Rear Admiral",
            ["phone_numbers"] = new JsonArray(
                new JsonObject { ["number"] = "1", ["type"] = "work" }, new JsonObject { ["number"] = "2", ["type"] = "mobile" }, new JsonObject { ["number"] = "3", ["type"] = "fax" }),
        }));
        var contactId = contact.Str("id");

        using var response = await host.Api.PatchAsJsonAsync($"unified/crm/contacts/{contactId}?integrated_account_id={id}", new JsonObject
        {
            ["phone_numbers"] = new JsonArray(new JsonObject { ["number"] = "9", ["type"] = "home" }),
            ["title"] = null,
        });
        var patched = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = instance.Find("Contacts", long.Parse(contactId))!;
        Assert.Equal(("9", null, null, null), (stored.Str("PHONE_HOME"), stored["PHONE"]?.GetValue<string>(), stored["PHONE_MOBILE"]?.GetValue<string>(), stored["PHONE_FAX"]?.GetValue<string>()));
        Assert.Null(stored["TITLE"]);
        Assert.Equal("Hopper", stored.Str("LAST_NAME"));
        Assert.Equal("""[{"number":"9","type":"home"}]""", patched["phone_numbers"].Text());
        Assert.Null(patched["title"]);
    }

    [Fact]
    public async Task Deleting_a_contact_removes_it_upstream_and_answers_its_id()
    {
        var (instance, _, id) = await LinkedAsync();
        var contactId = (await Json.ReadAsync(await Post(id, "contacts", new JsonObject { ["last_name"] = "Gone" }))).Str("id");

        using var response = await host.Api.DeleteAsync($"unified/crm/contacts/{contactId}?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($$"""{"id":"{{contactId}}"}""", (await Json.ReadAsync(response)).Text());
        Assert.Null(instance.Find("Contacts", long.Parse(contactId)));
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts/{contactId}?integrated_account_id={id}")), 404, "not_found");
    }

    private Task<HttpResponseMessage> Post(string accountId, string resource, JsonObject body) =>
        host.Api.PostAsJsonAsync($"unified/crm/{resource}?integrated_account_id={accountId}", body);

    private async Task<(FakeInstance Instance, StandardData Data, string AccountId)> LinkedAsync()
    {
        var (instance, key) = host.NewInstance();
        var data = instance.SeedStandardData();
        return (instance, data, (await host.LinkAsync(key)).Str("id"));
    }
}
