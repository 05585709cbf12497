using System.Net;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Filters, dates, cursors and the read-only resources of the unified API.</summary>
public sealed class UnifiedReadTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Each_contact_filter_searches_one_exact_field_upstream()
    {
        var (instance, key, id) = await LinkedAsync();
        instance.Seed("Organisations", new JsonObject { ["ORGANISATION_ID"] = 55, ["ORGANISATION_NAME"] = "Acme" });
        instance.Seed("Contacts",
            Contact(1, "ada@example.com", organisation: 55, tag: "vip", segment: "Enterprise"),
            Contact(2, "grace@example.com", organisation: null, tag: "newsletter", segment: "SMB"),
            Contact(3, "alan@example.com", organisation: 55, tag: null, segment: "SMB"));

        Assert.Equal(["1"], await IdsAsync($"unified/crm/contacts?integrated_account_id={id}&email=ada@example.com"));
        Assert.Equal(["1", "3"], await IdsAsync($"unified/crm/contacts?integrated_account_id={id}&account_id=55"));
        Assert.Equal(["2"], await IdsAsync($"unified/crm/contacts?integrated_account_id={id}&tag=newsletter"));
        Assert.Equal(["2", "3"], await IdsAsync($"unified/crm/contacts?integrated_account_id={id}&remote_query[Segment__c]=SMB"));
        Assert.Equal(["3"], await IdsAsync($"unified/crm/contacts?integrated_account_id={id}&remote_query[LAST_NAME]=Contact%203"));

        var calls = host.Insightly.Requests.Where(r => r.ApiKey == key && r.Path.StartsWith("Contacts", StringComparison.Ordinal)).Select(r => r.Path + r.QueryString).ToList();
        Assert.Contains(calls, c => c.StartsWith("Contacts/Search?field_name=EMAIL_ADDRESS&field_value=ada%40example.com&", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("Contacts/Search?field_name=ORGANISATION_ID&field_value=55&", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("Contacts/SearchByTag?tagName=newsletter&", StringComparison.Ordinal));
        Assert.All(calls, c => Assert.Contains("count_total=true", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Updated_after_asks_a_second_earlier_and_keeps_records_updated_at_or_after_it()
    {
        var (instance, key, id) = await LinkedAsync();
        instance.Seed("Contacts",
            Contact(1, updated: "2025-01-01 09:59:59"),
            Contact(2, updated: "2025-01-01 10:00:00"),
            Contact(3, updated: "2025-01-01 10:00:01"));

        Assert.Equal(["2", "3"], await IdsAsync($"unified/crm/contacts?integrated_account_id={id}&updated_after=2025-01-01T10:00:00Z"));
        var call = host.Insightly.Requests.Last(r => r.ApiKey == key);
        Assert.Equal("Contacts/Search", call.Path);
        Assert.Equal("2025-01-01T09:59:59Z", call.Query["updated_after_utc"]);

        Assert.Equal(["2", "3"], await IdsAsync($"unified/crm/contacts?integrated_account_id={id}&updated_after=2025-01-01T11:00:00%2B01:00"));
    }

    [Theory]
    [InlineData("email=a@example.com&tag=vip", "unsupported_filter")]
    [InlineData("email=a@example.com&remote_query[LAST_NAME]=x", "unsupported_filter")]
    [InlineData("tag=vip&updated_after=2025-01-01T00:00:00Z", "unsupported_filter")]
    [InlineData("colour=red", "unsupported_filter")]
    [InlineData("account_id=acme", "invalid_parameter")]
    [InlineData("remote_query[bad name]=x", "invalid_parameter")]
    [InlineData("updated_after=yesterday", "invalid_parameter")]
    [InlineData("updated_after=2025-01-01", "invalid_parameter")]
    [InlineData("limit=0", "invalid_parameter")]
    [InlineData("limit=501", "invalid_parameter")]
    [InlineData("limit=abc", "invalid_parameter")]
    [InlineData("include_remote_data=yes", "invalid_parameter")]
    [InlineData("email=", "invalid_parameter")]
    public async Task A_bad_list_query_is_400_before_anything_is_sent(string query, string error)
    {
        var (_, key, id) = await LinkedAsync();
        host.Insightly.ClearRequests();

        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&{query}")), 400, error);
        Assert.DoesNotContain(host.Insightly.Requests, r => r.ApiKey == key);
    }

    [Fact]
    public async Task A_cursor_is_refused_with_other_filters_another_account_or_another_resource()
    {
        var (instance, _, id) = await LinkedAsync();
        var (other, _, otherId) = await LinkedAsync();
        instance.SeedContacts(3);
        other.SeedContacts(3);
        var first = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&limit=1"));
        var cursor = Uri.EscapeDataString(first.Str("next_cursor"));

        var second = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&limit=1&next_cursor={cursor}"));
        Assert.Single(second["result"]!.AsArray());
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={otherId}&limit=1&next_cursor={cursor}")), 400, "invalid_cursor");
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&limit=1&tag=vip&next_cursor={cursor}")), 400, "invalid_cursor");
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/accounts?integrated_account_id={id}&limit=1&next_cursor={cursor}")), 400, "invalid_cursor");
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&next_cursor={cursor[..^2]}xx")), 400, "invalid_cursor");
    }

    [Fact]
    public async Task Without_remote_data_records_omit_it()
    {
        var (instance, _, id) = await LinkedAsync();
        instance.SeedContacts(2);
        var page = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&include_remote_data=false"));
        Assert.All(page["result"]!.AsArray(), c => Assert.False(c!.AsObject().ContainsKey("remote_data")));
    }

    [Fact]
    public async Task Pipelines_list_their_stages_and_stages_filter_by_pipeline_from_the_cached_lookups()
    {
        var (_, key, id, data) = await LinkedWithDataAsync();

        var pipelines = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/pipelines?integrated_account_id={id}"));
        var sales = pipelines["result"]!.AsArray().Single(p => p.Str("name") == data.Sales.Name)!;
        Assert.Equal("""["opportunity"]""", sales["entities"].Text());
        Assert.Equal(data.Sales.StageIds.Select(s => s.ToString()), sales["stages"]!.AsArray().Select(s => s.Str("id")));
        Assert.Equal(1, sales["stages"]![0]!["position"]!.GetValue<int>());

        await host.Api.GetAsync($"unified/crm/stages?integrated_account_id={id}");
        host.Insightly.ClearRequests();
        var stages = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/stages?integrated_account_id={id}&pipeline_id={data.Delivery.Id}"));
        Assert.Equal(data.Delivery.StageIds.Select(s => s.ToString()), stages["result"]!.AsArray().Select(s => s.Str("id")));
        Assert.All(stages["result"]!.AsArray(), s => Assert.Equal(data.Delivery.Name, s!["pipeline"].Str("name")));
        // Listed from the account's cached lookups: no call to Insightly.
        Assert.DoesNotContain(host.Insightly.Requests, r => r.ApiKey == key);

        var stage = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/stages/{data.Delivery.StageIds[0]}?integrated_account_id={id}"));
        Assert.Equal(data.Delivery.StageIds[0].ToString(), stage.Str("id"));
    }

    [Fact]
    public async Task Users_read_in_the_crm_and_the_user_directory_shapes()
    {
        var (instance, _, id) = await LinkedAsync();
        var admin = instance.All("Users")[0];
        var userId = admin["USER_ID"]!.GetValue<long>();

        var crm = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/users/{userId}?integrated_account_id={id}"));
        Assert.Equal(("Ada Lovelace", "ada@example.com", true, true), (crm.Str("name"), crm.Str("email"), crm["is_active"]!.GetValue<bool>(), crm["is_admin"]!.GetValue<bool>()));

        var directory = await Json.ReadAsync(await host.Api.GetAsync($"unified/user-directory/users?integrated_account_id={id}&email=ada@example.com"));
        var user = directory["result"]![0]!;
        Assert.Equal("""[{"email":"ada@example.com","type":"work","is_primary":true}]""", user["emails"].Text());
        Assert.Equal("active", user.Str("status"));
        Assert.Equal("""[{"id":"administrator","name":"Administrator"},{"id":"account_owner","name":"Account owner"}]""", user["roles"].Text());
    }

    [Fact]
    public async Task Fields_lists_standard_fields_from_the_descriptor_and_the_accounts_custom_fields()
    {
        var (_, _, id) = await LinkedAsync();

        var fields = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/fields?integrated_account_id={id}&entity=contact&limit=500"));
        var byName = fields["result"]!.AsArray().ToDictionary(f => f.Str("name"), f => f!);

        Assert.Equal(("string", true, false), (byName["first_name"].Str("type"), byName["first_name"]!["is_editable"]!.GetValue<bool>(), byName["first_name"]!["is_user_defined"]!.GetValue<bool>()));
        Assert.False(byName["name"]!["is_editable"]!.GetValue<bool>());
        Assert.Equal("account", byName["account"].Str("reference_entity"));
        var segment = byName["Segment__c"];
        Assert.Equal(("enum", "Segment", "SMB", true), (segment.Str("type"), segment.Str("label"), segment.Str("default_value"), segment["is_user_defined"]!.GetValue<bool>()));
        Assert.Equal(["Enterprise", "Mid-market", "SMB"], segment["options"]!.AsArray().Select(o => o.Str("value")));
        Assert.Equal("multi_enum", byName["Interests__c"].Str("type"));
        Assert.False(byName["Lifetime_Value__c"]!["is_editable"]!.GetValue<bool>());
        Assert.True(byName["Legacy_Id__c"]!["is_hidden"]!.GetValue<bool>());
        Assert.NotNull(segment["remote_data"]);

        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/fields?integrated_account_id={id}")), 400, "missing_parameter");
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/fields?integrated_account_id={id}&entity=widget")), 400, "invalid_parameter");
    }

    private async Task<List<string>> IdsAsync(string path)
    {
        using var response = await host.Api.GetAsync(path);
        var page = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, page.Text());
        return [.. page["result"]!.AsArray().Select(r => r.Str("id"))];
    }

    private static JsonObject Contact(long id, string? email = null, long? organisation = null, string? tag = null, string? segment = null, string updated = "2024-01-01 00:00:00") => new()
    {
        ["CONTACT_ID"] = id,
        ["LAST_NAME"] = $"Contact {id}",
        ["EMAIL_ADDRESS"] = email,
        ["ORGANISATION_ID"] = organisation,
        ["DATE_CREATED_UTC"] = "2024-01-01 00:00:00",
        ["DATE_UPDATED_UTC"] = updated,
        ["TAGS"] = tag is null ? new JsonArray() : new JsonArray(new JsonObject { ["TAG_NAME"] = tag }),
        ["CUSTOMFIELDS"] = segment is null ? new JsonArray() : new JsonArray(new JsonObject { ["FIELD_NAME"] = "Segment__c", ["FIELD_VALUE"] = segment }),
    };

    private async Task<(FakeInstance Instance, string Key, string AccountId)> LinkedAsync()
    {
        var (instance, key, id, _) = await LinkedWithDataAsync();
        return (instance, key, id);
    }

    private async Task<(FakeInstance Instance, string Key, string AccountId, StandardData Data)> LinkedWithDataAsync()
    {
        var (instance, key) = host.NewInstance();
        var data = instance.SeedStandardData();
        return (instance, key, (await host.LinkAsync(key)).Str("id"), data);
    }
}
