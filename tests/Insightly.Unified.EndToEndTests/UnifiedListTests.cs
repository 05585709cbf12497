using System.Net;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

public sealed class UnifiedListTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Paging_1234_contacts_with_limit_500_costs_three_upstream_list_calls()
    {
        var (instance, key, id) = await LinkedAsync();
        instance.SeedContacts(1234);
        // Lookups (custom field definitions) are cached per account; warm them so only list calls are counted.
        await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&limit=1");
        host.Insightly.ClearRequests();

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Json.ReadAsync(await host.Api.GetAsync(
                $"unified/crm/contacts?integrated_account_id={id}&limit=500" + (cursor is null ? "" : $"&next_cursor={Uri.EscapeDataString(cursor)}")));
            seen.AddRange(page["result"]!.AsArray().Select(c => c.Str("id")));
            Assert.Equal(page["result"]!.AsArray().Count, page["result_count"]!.GetValue<int>());
            cursor = page["next_cursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(1234, seen.Distinct().Count());
        Assert.Equal(3, host.Insightly.Requests.Count(r => r.ApiKey == key));
        Assert.All(host.Insightly.Requests.Where(r => r.ApiKey == key), r => Assert.Equal("Contacts", r.Path));
    }

    [Fact]
    public async Task A_contact_maps_to_the_unified_shape_with_custom_fields_and_remote_data()
    {
        var (instance, _, id) = await LinkedAsync();
        var contact = instance.SeedContacts(1)[0];
        instance.Seed("Contacts", new JsonObject
        {
            ["CONTACT_ID"] = 101, ["FIRST_NAME"] = "Ada", ["LAST_NAME"] = "Lovelace", ["TITLE"] = "CTO", ["BACKGROUND"] = "Analyst",
            ["EMAIL_ADDRESS"] = "ada@example.com", ["PHONE"] = "+1 555 0100", ["PHONE_MOBILE"] = "+1 555 0101", ["ORGANISATION_ID"] = null,
            ["OWNER_USER_ID"] = null, ["DATE_CREATED_UTC"] = "2024-01-02 03:04:05", ["DATE_UPDATED_UTC"] = "2024-02-03 04:05:06",
            ["ADDRESS_MAIL_STREET"] = "1 Main St", ["ADDRESS_MAIL_CITY"] = "Springfield", ["ADDRESS_MAIL_COUNTRY"] = "United States",
            ["CUSTOMFIELDS"] = new JsonArray(
                new JsonObject { ["FIELD_NAME"] = "Segment__c", ["FIELD_VALUE"] = "Enterprise" },
                new JsonObject { ["FIELD_NAME"] = "Renewal_Date__c", ["FIELD_VALUE"] = "2025-03-30 00:00:00" },
                new JsonObject { ["FIELD_NAME"] = "Last_Reviewed__c", ["FIELD_VALUE"] = "2025-03-30 01:30:00" },
                new JsonObject { ["FIELD_NAME"] = "Score__c", ["FIELD_VALUE"] = 4.5 },
                new JsonObject { ["FIELD_NAME"] = "Is_Vip__c", ["FIELD_VALUE"] = true },
                new JsonObject { ["FIELD_NAME"] = "Interests__c", ["FIELD_VALUE"] = "Golf;Wine" }),
            ["TAGS"] = new JsonArray(new JsonObject { ["TAG_NAME"] = "vip" }),
            ["LINKS"] = new JsonArray(),
        });

        using var response = await host.Api.GetAsync($"unified/crm/contacts/101?integrated_account_id={id}");
        var unified = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("101", unified.Str("id"));
        Assert.Equal("Ada Lovelace", unified.Str("name"));
        Assert.Equal("2024-01-02T03:04:05Z", unified.Str("created_at"));
        Assert.Equal("2024-02-03T04:05:06Z", unified.Str("updated_at"));
        Assert.Equal("Analyst", unified.Str("description"));
        Assert.Null(unified["account"]);
        Assert.Equal("""[{"email":"ada@example.com","type":"work"}]""", unified["email_addresses"].Text());
        Assert.Equal("""[{"number":"+1 555 0100","type":"work"},{"number":"+1 555 0101","type":"mobile"}]""", unified["phone_numbers"].Text());
        Assert.Equal("""[{"street_1":"1 Main St","city":"Springfield","state":null,"postal_code":null,"country":"United States","type":"mailing"}]""",
            unified["addresses"].Text());
        Assert.Equal("""[{"name":"vip"}]""", unified["tags"].Text());
        var custom = unified["custom_fields"]!;
        Assert.Equal("Enterprise", custom.Str("Segment__c"));
        Assert.Equal("2025-03-30", custom.Str("Renewal_Date__c"));
        Assert.Equal("2025-03-30T01:30:00Z", custom.Str("Last_Reviewed__c"));
        Assert.Equal(4.5, custom["Score__c"]!.GetValue<double>());
        Assert.True(custom["Is_Vip__c"]!.GetValue<bool>());
        Assert.Equal("""["Golf","Wine"]""", custom["Interests__c"].Text());
        Assert.Equal(101, unified["remote_data"]!["CONTACT_ID"]!.GetValue<long>());
        Assert.NotNull(contact);
    }

    private async Task<(FakeInstance Instance, string Key, string AccountId)> LinkedAsync()
    {
        var (instance, key) = host.NewInstance();
        instance.SeedStandardData();
        return (instance, key, (await host.LinkAsync(key)).Str("id"));
    }
}
