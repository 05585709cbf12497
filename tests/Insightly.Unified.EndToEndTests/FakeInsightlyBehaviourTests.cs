using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// The fake must behave as insightly-api.md describes, and refuse what Insightly refuses, or the other tests
/// prove nothing. Real HTTP to the fake on loopback; no product code.
/// </summary>
public sealed class FakeInsightlyBehaviourTests : IAsyncLifetime
{
    private FakeInsightlyServer server = null!;
    private FakeInstance instance = null!;
    private StandardData data = null!;
    private HttpClient client = null!;
    private string key = null!;
    private long userId;

    public async Task InitializeAsync()
    {
        server = await FakeInsightlyServer.StartAsync();
        instance = server.AddInstance("eu1", "fakecheck");
        key = server.AddUser(instance, "Ada", "Lovelace", "ada@example.com");
        for (var i = 0; i < 11; i++)
        {
            server.AddUser(instance, "User", $"{i}", $"user{i}@example.com");
        }

        userId = instance.All("Users")[0]["USER_ID"]!.GetValue<long>();
        data = instance.SeedStandardData();
        instance.RequestsPerSecond = 10_000;
        client = new HttpClient { BaseAddress = new Uri(server.BaseUrlTemplate.Replace("{pod}", "eu1", StringComparison.Ordinal)) };
        client.DefaultRequestHeaders.Authorization = Basic(key + ":");
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    // ---- Authentication, pods, quotas ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Accepts_the_key_as_basic_user_name_with_or_without_a_colon(bool withColon)
    {
        using var response = await Get("Users/Me", withColon ? key + ":" : key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_key_on_another_pod_with_Insightlys_message()
    {
        using var response = await Get("Users/Me", key + ":", pod: "na1");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Authorization has been denied for this request.",
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lists_are_bare_arrays_paged_by_skip_and_top_with_a_total_count()
    {
        using var response = await Get("Users?skip=10&top=5&count_total=true", key);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

        Assert.Equal(2, page.Count);
        Assert.Equal("12", response.Headers.GetValues("X-Total-Count").Single());
        Assert.True(page[0]!["USER_ID"]!.GetValue<long>() < page[1]!["USER_ID"]!.GetValue<long>());
    }

    [Fact]
    public async Task Every_answer_carries_the_daily_quota_headers()
    {
        using var response = await Get("Instance", key);
        Assert.Equal("60000", response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.True(long.Parse(response.Headers.GetValues("X-RateLimit-Remaining").Single(), CultureInfo.InvariantCulture) < 60000);
    }

    [Fact]
    public async Task More_than_ten_requests_in_a_second_get_429_with_Retry_After()
    {
        instance.RequestsPerSecond = 3;
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Get("Instance", key)));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests && r.Headers.RetryAfter is not null);
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests),
            r => Assert.NotEqual("0", r.Headers.GetValues("X-RateLimit-Remaining").Single()));
    }

    // ---- Reads ----

    [Theory]
    [InlineData("Contacts")]
    [InlineData("Organisations")]
    [InlineData("Leads")]
    [InlineData("Opportunities")]
    [InlineData("Notes")]
    [InlineData("Tasks")]
    [InlineData("Projects")]
    [InlineData("Users")]
    [InlineData("Pipelines")]
    [InlineData("PipelineStages")]
    [InlineData("LeadStatuses")]
    [InlineData("LeadSources")]
    [InlineData("OpportunityStateReasons")]
    public async Task Every_collection_lists_as_a_bare_array(string collection)
    {
        var reply = await Send("GET", collection);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.IsType<JsonArray>(reply.Json);
    }

    [Fact]
    public async Task Top_defaults_to_100_and_is_clamped_to_500_while_the_total_counts_every_match()
    {
        instance.SeedContacts(520);

        var byDefault = await Send("GET", "Contacts?count_total=true");
        var clamped = await Send("GET", "Contacts?top=1000");
        var lastPage = await Send("GET", "Contacts?skip=500&top=500");

        Assert.Equal(100, byDefault.Array.Count);
        Assert.Equal("520", byDefault.Header("X-Total-Count"));
        Assert.Equal(500, clamped.Array.Count);
        Assert.Equal(20, lastPage.Array.Count);
        Assert.Null(clamped.Header("X-Total-Count"));
    }

    [Fact]
    public async Task Lists_come_in_ascending_id_order_whatever_the_seeding_order()
    {
        instance.Seed("Contacts", Contact(300, "Third"), Contact(100, "First"), Contact(200, "Second"));

        var ids = (await Send("GET", "Contacts")).Array.Select(c => c!["CONTACT_ID"]!.GetValue<long>());

        Assert.Equal([100L, 200L, 300L], ids);
    }

    [Fact]
    public async Task Brief_drops_links_tags_customfields_and_dates()
    {
        instance.SeedOrganisations(1);
        instance.SeedContacts(1);

        var full = (await Send("GET", "Contacts")).Array[0]!.AsObject();
        var brief = (await Send("GET", "Contacts?brief=true")).Array[0]!.AsObject();
        var briefOrg = (await Send("GET", "Organisations?brief=true")).Array[0]!.AsObject();

        Assert.True(full.ContainsKey("CUSTOMFIELDS") && full.ContainsKey("TAGS") && full.ContainsKey("LINKS") && full.ContainsKey("DATES"));
        Assert.All(new[] { "CUSTOMFIELDS", "TAGS", "LINKS", "DATES" }, k => Assert.False(brief.ContainsKey(k)));
        Assert.False(briefOrg.ContainsKey("EMAILDOMAINS"));
        Assert.Equal(full["LAST_NAME"]!.GetValue<string>(), brief["LAST_NAME"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_matches_one_standard_field_exactly()
    {
        instance.Seed("Contacts", Contact(100, "Lovelace", "ada@example.com"), Contact(101, "Hopper", "grace@example.com"),
            Contact(102, "Lovelace", "ADA@example.com"));

        var byEmail = await Send("GET", "Contacts/Search?field_name=EMAIL_ADDRESS&field_value=ada@example.com&count_total=true");
        var byName = await Send("GET", "Contacts/Search?field_name=LAST_NAME&field_value=Lovelace&top=1&count_total=true");
        var partial = await Send("GET", "Contacts/Search?field_name=LAST_NAME&field_value=Love");
        var byNumber = await Send("GET", "Contacts/Search?field_name=CONTACT_ID&field_value=101");

        Assert.Equal([100L], byEmail.Array.Select(c => c!["CONTACT_ID"]!.GetValue<long>()));
        Assert.Single(byName.Array);
        Assert.Equal("2", byName.Header("X-Total-Count"));
        Assert.Empty(partial.Array);
        Assert.Equal("Hopper", byNumber.Array.Single()!["LAST_NAME"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_matches_a_custom_field_inside_CUSTOMFIELDS()
    {
        instance.Seed("Contacts",
            Contact(100, "A", customFields: new JsonArray(Custom("Segment__c", "Enterprise"))),
            Contact(101, "B", customFields: new JsonArray(Custom("Segment__c", "SMB"))),
            Contact(102, "C"));

        var reply = await Send("GET", "Contacts/Search?field_name=Segment__c&field_value=Enterprise");

        Assert.Equal([100L], reply.Array.Select(c => c!["CONTACT_ID"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Search_with_field_name_but_no_field_value_is_400()
    {
        var reply = await Send("GET", "Contacts/Search?field_name=LAST_NAME");

        AssertRefused(reply, 400, "field_value");
    }

    [Theory]
    [InlineData("NOT_A_FIELD")]
    [InlineData("email_address")]
    [InlineData("Undefined__c")]
    [InlineData("TAGS")]
    public async Task Search_on_an_unknown_field_is_400(string fieldName)
    {
        var reply = await Send("GET", $"Contacts/Search?field_name={fieldName}&field_value=x");

        AssertRefused(reply, 400, fieldName);
    }

    [Fact]
    public async Task Updated_after_utc_is_strictly_after_at_one_second_resolution_on_lists_and_search()
    {
        instance.Seed("Contacts",
            Contact(100, "Before", updated: "2024-03-01 10:00:00"),
            Contact(101, "Boundary", updated: "2024-03-01 10:00:01"),
            Contact(102, "After", updated: "2024-03-01 10:00:02"));

        var list = await Send("GET", "Contacts?updated_after_utc=2024-03-01T10:00:01Z");
        var search = await Send("GET", "Contacts/Search?updated_after_utc=2024-03-01T10:00:01.900Z");
        var earlier = await Send("GET", "Contacts/Search?updated_after_utc=2024-03-01T10:00:00Z&field_name=LAST_NAME&field_value=Boundary");

        Assert.Equal([102L], list.Array.Select(c => c!["CONTACT_ID"]!.GetValue<long>()));
        Assert.Equal([102L], search.Array.Select(c => c!["CONTACT_ID"]!.GetValue<long>()));
        Assert.Equal([101L], earlier.Array.Select(c => c!["CONTACT_ID"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("2024-01-01 00:00:00")]
    [InlineData("2024-01-01T00:00:00")]
    [InlineData("2024-01-01T00:00:00+00:00")]
    [InlineData("2024-01-01")]
    [InlineData("yesterday")]
    public async Task Updated_after_utc_not_in_ISO_8601_with_Z_is_400(string value)
    {
        var onSearch = await Send("GET", $"Contacts/Search?updated_after_utc={Uri.EscapeDataString(value)}");
        var onList = await Send("GET", $"Contacts?updated_after_utc={Uri.EscapeDataString(value)}");

        AssertRefused(onSearch, 400, "updated_after_utc");
        AssertRefused(onList, 400, "updated_after_utc");
    }

    [Fact]
    public async Task SearchByTag_returns_the_records_carrying_the_tag_and_needs_tagName()
    {
        var tagged = Contact(100, "Tagged");
        tagged["TAGS"] = new JsonArray(new JsonObject { ["TAG_NAME"] = "vip" });
        instance.Seed("Contacts", tagged, Contact(101, "Plain"));

        var reply = await Send("GET", "Contacts/SearchByTag?tagName=vip&count_total=true");
        var missing = await Send("GET", "Contacts/SearchByTag");
        var tasks = await Send("GET", "Tasks/SearchByTag?tagName=vip");

        Assert.Equal([100L], reply.Array.Select(c => c!["CONTACT_ID"]!.GetValue<long>()));
        Assert.Equal("1", reply.Header("X-Total-Count"));
        AssertRefused(missing, 400, "tagName");
        Assert.Equal(HttpStatusCode.NotFound, tasks.Status);
    }

    [Theory]
    [InlineData("skip=abc")]
    [InlineData("top=ten")]
    [InlineData("brief=yes")]
    [InlineData("count_total=1")]
    public async Task Malformed_paging_parameters_are_400(string query)
    {
        AssertRefused(await Send("GET", "Contacts?" + query), 400, query.Split('=')[0]);
    }

    [Fact]
    public async Task Get_by_id_returns_the_record_with_an_ETag_or_404_with_a_message()
    {
        instance.Seed("Contacts", Contact(100, "Lovelace"));

        var found = await Send("GET", "Contacts/100");
        var missing = await Send("GET", "Contacts/999");

        Assert.Equal("Lovelace", found.Json!["LAST_NAME"]!.GetValue<string>());
        Assert.NotNull(found.Response.Headers.ETag);
        AssertRefused(missing, 404, "999");
    }

    [Fact]
    public async Task Answers_are_raw_UTF8_JSON()
    {
        instance.Seed("Contacts", Contact(100, "Ångström"));

        var text = await (await client.GetAsync("Contacts/100")).Content.ReadAsStringAsync();

        Assert.Contains("\"Ångström\"", text, StringComparison.Ordinal);
    }

    // ---- Custom field definitions ----

    [Fact]
    public async Task CustomFields_lists_definitions_of_every_type_with_options()
    {
        var reply = await Send("GET", "CustomFields/Contacts");
        var definitions = reply.Array.Select(d => d!.AsObject()).ToList();

        Assert.Equal(CustomFieldType.All.Order(), definitions.Select(d => d["FIELD_TYPE"]!.GetValue<string>()).Distinct().Order());
        Assert.All(definitions, d => Assert.EndsWith("__c", d["FIELD_NAME"]!.GetValue<string>(), StringComparison.Ordinal));
        var segment = definitions.Single(d => d["FIELD_NAME"]!.GetValue<string>() == "Segment__c");
        Assert.Equal(["Enterprise", "Mid-market", "SMB"], segment["CUSTOM_FIELD_OPTIONS"]!.AsArray().Select(o => o!["OPTION_VALUE"]!.GetValue<string>()));
        Assert.True(segment["CUSTOM_FIELD_OPTIONS"]!.AsArray().All(o => o!["OPTION_ID"] is not null && o["OPTION_DEFAULT"] is not null));
        Assert.All(new[] { "FIELD_LABEL", "DEFAULT_VALUE", "EDITABLE", "VISIBLE", "JOIN_OBJECT" }, k => Assert.True(segment.ContainsKey(k)));
        Assert.Equal("Organisations", definitions.Single(d => d["FIELD_TYPE"]!.GetValue<string>() == "LOOKUP")["JOIN_OBJECT"]!.GetValue<string>());
    }

    [Fact]
    public async Task CustomFields_Search_returns_one_definition_by_name()
    {
        var reply = await Send("GET", "CustomFields/Opportunities/Search?field_name=Score__c");

        Assert.Equal("NUMERIC", reply.Array.Single()!["FIELD_TYPE"]!.GetValue<string>());
    }

    // ---- Creates ----

    [Fact]
    public async Task Post_creates_with_a_new_id_and_stamps_and_returns_the_full_record()
    {
        server.Clock = new FixedClock(new DateTimeOffset(2025, 2, 3, 4, 5, 6, 789, TimeSpan.Zero));

        var reply = await Send("POST", "Contacts", """{"FIRST_NAME": "Zoë", "LAST_NAME": "Ångström", "EMAIL_ADDRESS": "zoe@example.com"}""");
        var created = reply.Json!.AsObject();
        var id = created["CONTACT_ID"]!.GetValue<long>();

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(id > 0);
        Assert.Equal("2025-02-03 04:05:06", created["DATE_CREATED_UTC"]!.GetValue<string>());
        Assert.Equal("2025-02-03 04:05:06", created["DATE_UPDATED_UTC"]!.GetValue<string>());
        Assert.Equal(userId, created["OWNER_USER_ID"]!.GetValue<long>());
        Assert.Equal(userId, created["CREATED_USER_ID"]!.GetValue<long>());
        Assert.True(created.ContainsKey("PHONE") && created["PHONE"] is null);
        Assert.Empty(created["TAGS"]!.AsArray());
        Assert.Equal(created.ToJsonString(), instance.Find("Contacts", id)!.ToJsonString());
        var second = await Send("POST", "Contacts", """{"LAST_NAME": "Hopper"}""");
        Assert.True(second.Json!["CONTACT_ID"]!.GetValue<long>() > id);
    }

    [Theory]
    [InlineData("Organisations", "ORGANISATION_NAME", """{"WEBSITE": "https://acme.example"}""")]
    [InlineData("Leads", "LAST_NAME", """{"FIRST_NAME": "Ada"}""")]
    [InlineData("Opportunities", "OPPORTUNITY_NAME", """{"BID_AMOUNT": 10}""")]
    [InlineData("Tasks", "TITLE", """{"DETAILS": "call back"}""")]
    [InlineData("Projects", "PROJECT_NAME", """{"PROJECT_DETAILS": "x"}""")]
    [InlineData("Projects", "PROJECT_NAME", """{"PROJECT_NAME": "  "}""")]
    public async Task Post_without_a_required_field_is_400(string collection, string field, string body)
    {
        AssertRefused(await Send("POST", collection, body), 400, field);
    }

    [Fact]
    public async Task Leads_get_the_default_status_and_source_and_opportunities_compute_their_value()
    {
        var lead = (await Send("POST", "Leads", """{"LAST_NAME": "Núñez"}""")).Json!;
        var deal = (await Send("POST", "Opportunities", """{"OPPORTUNITY_NAME": "Deal", "BID_AMOUNT": 150.5, "BID_TYPE": "Per Month", "BID_DURATION": 12}""")).Json!;

        Assert.Equal(data.DefaultLeadStatusId, lead["LEAD_STATUS_ID"]!.GetValue<long>());
        Assert.Equal(data.DefaultLeadSourceId, lead["LEAD_SOURCE_ID"]!.GetValue<long>());
        Assert.Equal("Per Month", deal["BID_TYPE"]!.GetValue<string>());
        Assert.Equal(1806m, deal["OPPORTUNITY_VALUE"]!.GetValue<decimal>());
        Assert.Equal("OPEN", deal["OPPORTUNITY_STATE"]!.GetValue<string>());
    }

    // ---- Updates and deletes ----

    [Fact]
    public async Task Put_changes_only_the_fields_sent_null_clears_one_and_DATE_UPDATED_UTC_is_stamped()
    {
        var id = await CreateContact("""{"FIRST_NAME": "Ada", "LAST_NAME": "Lovelace", "TITLE": "CTO", "PHONE": "+1 555"}""");
        server.Clock = new FixedClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var reply = await Send("PUT", "Contacts", $$"""{"CONTACT_ID": {{id}}, "TITLE": "CEO", "PHONE": null}""");
        var stored = instance.Find("Contacts", id)!;

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(("Ada", "Lovelace", "CEO"), (stored.Str("FIRST_NAME"), stored.Str("LAST_NAME"), stored.Str("TITLE")));
        Assert.Null(stored["PHONE"]);
        Assert.Equal("2030-01-01 00:00:00", stored.Str("DATE_UPDATED_UTC"));
        Assert.NotEqual("2030-01-01 00:00:00", stored.Str("DATE_CREATED_UTC"));
        Assert.Equal(stored.ToJsonString(), reply.Json!.ToJsonString());
    }

    [Fact]
    public async Task Put_without_the_id_in_the_body_is_400_and_an_unknown_id_is_404()
    {
        var noId = await Send("PUT", "Contacts", """{"TITLE": "CEO"}""");
        var unknown = await Send("PUT", "Contacts", """{"CONTACT_ID": 424242, "TITLE": "CEO"}""");
        var inUrl = await Send("PUT", "Contacts/424242", """{"TITLE": "CEO"}""");

        AssertRefused(noId, 400, "CONTACT_ID");
        AssertRefused(unknown, 404, "424242");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, inUrl.Status);
    }

    [Fact]
    public async Task Put_with_a_stale_If_Match_is_400_naming_If_Match()
    {
        var id = await CreateContact("""{"LAST_NAME": "Lovelace"}""");
        var etag = (await Send("GET", $"Contacts/{id}")).Response.Headers.ETag!.Tag;

        var first = await Send("PUT", "Contacts", $$"""{"CONTACT_ID": {{id}}, "TITLE": "CTO"}""", ifMatch: etag);
        var stale = await Send("PUT", "Contacts", $$"""{"CONTACT_ID": {{id}}, "TITLE": "CEO"}""", ifMatch: etag);
        var fresh = await Send("PUT", "Contacts", $$"""{"CONTACT_ID": {{id}}, "TITLE": "CEO"}""", ifMatch: first.Response.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        AssertRefused(stale, 400, "If-Match");
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        Assert.Equal("CEO", instance.Find("Contacts", id)!.Str("TITLE"));
    }

    [Fact]
    public async Task Delete_answers_an_empty_204_and_then_404()
    {
        var id = await CreateContact("""{"LAST_NAME": "Gone"}""");

        var deleted = await Send("DELETE", $"Contacts/{id}");
        var again = await Send("DELETE", $"Contacts/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("", deleted.Text);
        AssertRefused(again, 404, id.ToString(CultureInfo.InvariantCulture));
        Assert.Null(instance.Find("Contacts", id));
    }

    [Fact]
    public async Task A_record_read_with_GET_can_be_written_back_whole_with_PUT()
    {
        instance.SeedOrganisations(3);
        var seeded = instance.SeedContacts(12);

        foreach (var contact in seeded)
        {
            var read = (await Send("GET", $"Contacts/{contact["CONTACT_ID"]}")).Json!;
            var reply = await Send("PUT", "Contacts", read.ToJsonString());
            Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        }
    }

    // ---- Refusals, one category at a time ----

    [Theory]
    [InlineData("""{"LAST_NAME": "X", "FAVOURITE_COLOUR": "blue"}""", "FAVOURITE_COLOUR")]
    [InlineData("""{"LAST_NAME": "X", "first_name": "Ada"}""", "first_name")]
    [InlineData("""{"LAST_NAME": "X", "Segment__c": "SMB"}""", "CUSTOMFIELDS")]
    [InlineData("""{"LAST_NAME": "X", "ORGANISATION_NAME": "Acme"}""", "ORGANISATION_NAME")]
    [InlineData("""{"LAST_NAME": "X", "TAGS": [{"TAG_NAME": "a", "COLOUR": "red"}]}""", "COLOUR")]
    public async Task Unknown_fields_are_400(string body, string named)
    {
        AssertRefused(await Send("POST", "Contacts", body), 400, named);
    }

    [Theory]
    [InlineData("""{"LAST_NAME": "X", "CONTACT_ID": 5}""", "CONTACT_ID")]
    [InlineData("""{"LAST_NAME": "X", "DATE_CREATED_UTC": "2024-01-01 00:00:00"}""", "DATE_CREATED_UTC")]
    [InlineData("""{"LAST_NAME": "X", "DATE_UPDATED_UTC": "2024-01-01 00:00:00"}""", "DATE_UPDATED_UTC")]
    [InlineData("""{"LAST_NAME": "X", "CREATED_USER_ID": 1}""", "CREATED_USER_ID")]
    public async Task Read_only_fields_on_a_create_are_400(string body, string named)
    {
        AssertRefused(await Send("POST", "Contacts", body), 400, named);
    }

    [Fact]
    public async Task Read_only_fields_that_differ_on_an_update_are_400_and_unchanged_ones_pass()
    {
        var deal = (await Send("POST", "Opportunities", """{"OPPORTUNITY_NAME": "Deal", "BID_AMOUNT": 100}""")).Json!;
        var id = deal["OPPORTUNITY_ID"]!.GetValue<long>();

        var value = await Send("PUT", "Opportunities", $$"""{"OPPORTUNITY_ID": {{id}}, "OPPORTUNITY_VALUE": 5}""");
        var created = await Send("PUT", "Opportunities", $$"""{"OPPORTUNITY_ID": {{id}}, "DATE_CREATED_UTC": "2020-01-01 00:00:00"}""");
        var same = await Send("PUT", "Opportunities",
            $$"""{"OPPORTUNITY_ID": {{id}}, "OPPORTUNITY_VALUE": 100, "DATE_CREATED_UTC": "{{deal.Str("DATE_CREATED_UTC")}}", "CREATED_USER_ID": {{userId}}}""");

        AssertRefused(value, 400, "OPPORTUNITY_VALUE");
        AssertRefused(created, 400, "DATE_CREATED_UTC");
        Assert.Equal(HttpStatusCode.OK, same.Status);
    }

    [Fact]
    public async Task Pipeline_and_stage_on_plain_writes_are_400()
    {
        var onCreate = await Send("POST", "Opportunities", $$"""{"OPPORTUNITY_NAME": "Deal", "PIPELINE_ID": {{data.Sales.Id}}}""");
        var project = (await Send("POST", "Projects", """{"PROJECT_NAME": "Rollout"}""")).Json!;
        var onUpdate = await Send("PUT", "Projects", $$"""{"PROJECT_ID": {{project["PROJECT_ID"]}}, "STAGE_ID": {{data.Delivery.StageIds[0]}}}""");

        AssertRefused(onCreate, 400, "PIPELINE_ID");
        AssertRefused(onCreate, 400, "/Pipeline");
        AssertRefused(onUpdate, 400, "STAGE_ID");
    }

    [Theory]
    [InlineData("Opportunities", """{"OPPORTUNITY_NAME": "D", "FORECAST_CLOSE_DATE": "2024-05-01T00:00:00Z"}""", "FORECAST_CLOSE_DATE")]
    [InlineData("Tasks", """{"TITLE": "T", "REMINDER_DATE_UTC": "2024-05-01T09:00:00Z"}""", "REMINDER_DATE_UTC")]
    [InlineData("Tasks", """{"TITLE": "T", "REMINDER_DATE_UTC": "2024-05-01"}""", "REMINDER_DATE_UTC")]
    [InlineData("Contacts", """{"LAST_NAME": "X", "CUSTOMFIELDS": [{"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "2024-05-01T09:00:00Z"}]}""", "Last_Reviewed__c")]
    [InlineData("Contacts", """{"LAST_NAME": "X", "DATE_OF_BIRTH": "01/05/1990"}""", "DATE_OF_BIRTH")]
    public async Task Body_dates_not_in_the_Insightly_layout_are_400(string collection, string body, string named)
    {
        var reply = await Send("POST", collection, body);

        AssertRefused(reply, 400, named);
        AssertRefused(reply, 400, "yyyy-MM-dd HH:mm:ss");
    }

    [Fact]
    public async Task Date_fields_accept_a_plain_date_and_store_the_datetime_layout()
    {
        var deal = (await Send("POST", "Opportunities", """{"OPPORTUNITY_NAME": "D", "FORECAST_CLOSE_DATE": "2024-05-01", "ACTUAL_CLOSE_DATE": "2024-06-01 00:00:00"}""")).Json!;

        Assert.Equal("2024-05-01 00:00:00", deal.Str("FORECAST_CLOSE_DATE"));
        Assert.Equal("2024-06-01 00:00:00", deal.Str("ACTUAL_CLOSE_DATE"));
    }

    [Fact]
    public async Task Date_fields_hold_a_date_so_a_time_sent_for_one_is_lost()
    {
        var deal = (await Send("POST", "Opportunities", """{"OPPORTUNITY_NAME": "D", "ACTUAL_CLOSE_DATE": "2024-06-01 13:45:00"}""")).Json!;
        var project = (await Send("POST", "Projects", """{"PROJECT_NAME": "P", "STARTED_DATE": "2024-06-02 08:00:00", "COMPLETED_DATE": "2024-07-01 17:30:00"}""")).Json!;

        Assert.Equal("2024-06-01 00:00:00", deal.Str("ACTUAL_CLOSE_DATE"));
        Assert.Equal(("2024-06-02 00:00:00", "2024-07-01 00:00:00"), (project.Str("STARTED_DATE"), project.Str("COMPLETED_DATE")));
    }

    [Theory]
    [InlineData("""[{"FIELD_NAME": "Undefined__c", "FIELD_VALUE": "x"}]""", "Undefined__c")]
    [InlineData("""[{"FIELD_NAME": "segment__c", "FIELD_VALUE": "SMB"}]""", "segment__c")]
    [InlineData("""[{"FIELD_NAME": "Segment__c", "FIELD_VALUE": "SMB", "CUSTOM_FIELD_ID": 3}]""", "FIELD_NAME and FIELD_VALUE")]
    [InlineData("""[{"FIELD_NAME": "Lifetime_Value__c", "FIELD_VALUE": 5}]""", "not editable")]
    [InlineData("""{"Segment__c": "SMB"}""", "array")]
    public async Task Custom_fields_not_defined_for_the_collection_or_malformed_are_400(string customFields, string named)
    {
        AssertRefused(await Send("POST", "Contacts", $$"""{"LAST_NAME": "X", "CUSTOMFIELDS": {{customFields}}}"""), 400, named);
    }

    [Fact]
    public async Task Custom_fields_of_one_collection_are_not_accepted_on_another()
    {
        instance.DefineCustomField("Leads", "Lead_Only__c", CustomFieldType.Text);

        var onContact = await Send("POST", "Contacts", """{"LAST_NAME": "X", "CUSTOMFIELDS": [{"FIELD_NAME": "Lead_Only__c", "FIELD_VALUE": "x"}]}""");
        var onLead = await Send("POST", "Leads", """{"LAST_NAME": "X", "CUSTOMFIELDS": [{"FIELD_NAME": "Lead_Only__c", "FIELD_VALUE": "x"}]}""");

        AssertRefused(onContact, 400, "Lead_Only__c");
        Assert.Equal(HttpStatusCode.OK, onLead.Status);
    }

    [Theory]
    [InlineData("Segment__c", "\"Huge\"", "Huge")]
    [InlineData("Segment__c", "\"smb\"", "smb")]
    [InlineData("Interests__c", "\"Golf;Chess\"", "Chess")]
    [InlineData("Interests__c", "\"Golf; Wine\"", " Wine")]
    [InlineData("Interests__c", "\"Golf;Golf\"", "repeated")]
    [InlineData("Interests__c", "[\"Golf\", \"Wine\"]", "string")]
    public async Task Option_values_not_among_the_definitions_options_are_400(string field, string value, string named)
    {
        var reply = await Send("POST", "Contacts", $$"""{"LAST_NAME": "X", "CUSTOMFIELDS": [{"FIELD_NAME": "{{field}}", "FIELD_VALUE": {{value}}}]}""");

        AssertRefused(reply, 400, named);
    }

    [Fact]
    public async Task Custom_values_of_every_type_are_stored_as_sent()
    {
        var organisation = (await Send("POST", "Organisations", """{"ORGANISATION_NAME": "Acme"}""")).Json!["ORGANISATION_ID"]!.GetValue<long>();
        var body = $$"""
            {"LAST_NAME": "X", "CUSTOMFIELDS": [
              {"FIELD_NAME": "Reference_Code__c", "FIELD_VALUE": "R-1"},
              {"FIELD_NAME": "Summary__c", "FIELD_VALUE": "a\nb"},
              {"FIELD_NAME": "Is_Vip__c", "FIELD_VALUE": true},
              {"FIELD_NAME": "Segment__c", "FIELD_VALUE": "SMB"},
              {"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "2025-01-31"},
              {"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "2024-12-01 13:14:15"},
              {"FIELD_NAME": "Score__c", "FIELD_VALUE": 12.5},
              {"FIELD_NAME": "Homepage__c", "FIELD_VALUE": "https://example.com/a"},
              {"FIELD_NAME": "Interests__c", "FIELD_VALUE": "Golf;Wine"},
              {"FIELD_NAME": "Related_Organisation__c", "FIELD_VALUE": {{organisation}}}]}
            """;

        var created = (await Send("POST", "Contacts", body)).Json!;
        var values = created["CUSTOMFIELDS"]!.AsArray().ToDictionary(c => c!.Str("FIELD_NAME"), c => c!["FIELD_VALUE"]!.ToJsonString());

        Assert.Equal("\"2025-01-31 00:00:00\"", values["Renewal_Date__c"]);
        Assert.Equal("\"Golf;Wine\"", values["Interests__c"]);
        Assert.Equal("true", values["Is_Vip__c"]);
        Assert.Equal("12.5", values["Score__c"]);
        Assert.Equal(organisation.ToString(CultureInfo.InvariantCulture), values["Related_Organisation__c"]);
        Assert.Equal(10, values.Count);
    }

    [Theory]
    [InlineData("Contacts", """{"LAST_NAME": "X", "ORGANISATION_ID": "55"}""", "ORGANISATION_ID")]
    [InlineData("Contacts", """{"LAST_NAME": "X", "EMAIL_OPTED_OUT": "true"}""", "EMAIL_OPTED_OUT")]
    [InlineData("Contacts", """{"LAST_NAME": 7}""", "LAST_NAME")]
    [InlineData("Contacts", """{"LAST_NAME": "X", "TAGS": "vip"}""", "TAGS")]
    [InlineData("Opportunities", """{"OPPORTUNITY_NAME": "D", "BID_AMOUNT": "100"}""", "BID_AMOUNT")]
    [InlineData("Opportunities", """{"OPPORTUNITY_NAME": "D", "PROBABILITY": 50.5}""", "PROBABILITY")]
    [InlineData("Contacts", """{"LAST_NAME": "X", "CUSTOMFIELDS": [{"FIELD_NAME": "Score__c", "FIELD_VALUE": "12"}]}""", "Score__c")]
    [InlineData("Contacts", """{"LAST_NAME": "X", "CUSTOMFIELDS": [{"FIELD_NAME": "Is_Vip__c", "FIELD_VALUE": "true"}]}""", "Is_Vip__c")]
    [InlineData("Contacts", """{"LAST_NAME": "X", "CUSTOMFIELDS": [{"FIELD_NAME": "Related_Organisation__c", "FIELD_VALUE": "1"}]}""", "Related_Organisation__c")]
    public async Task Wrong_JSON_types_are_400(string collection, string body, string named)
    {
        AssertRefused(await Send("POST", collection, body), 400, named);
    }

    [Theory]
    [InlineData("Contacts", "plural")]
    [InlineData("contact", "'Contact'")]
    [InlineData("CONTACT", "'Contact'")]
    [InlineData("Widget", "Widget")]
    public async Task Link_object_names_must_be_singular_and_exact(string name, string named)
    {
        var id = await CreateContact("""{"LAST_NAME": "Linked"}""");
        var deal = await CreateAny("Opportunities");

        var reply = await Send("POST", $"Opportunities/{deal}/Links", $$"""{"LINK_OBJECT_NAME": "{{name}}", "LINK_OBJECT_ID": {{id}}}""");
        var owner = await Send("POST", $"Opportunities/{deal}/Links", $$"""{"OBJECT_NAME": "Opportunities", "OBJECT_ID": {{deal}}, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": {{id}}}""");

        AssertRefused(reply, 400, named);
        AssertRefused(owner, 400, "OBJECT_NAME");
        Assert.Empty(instance.Find("Opportunities", deal)!["LINKS"]!.AsArray());
    }

    [Theory]
    [InlineData("Contacts", "ORGANISATION_ID")]
    [InlineData("Contacts", "OWNER_USER_ID")]
    [InlineData("Leads", "RESPONSIBLE_USER_ID")]
    [InlineData("Leads", "LEAD_STATUS_ID")]
    [InlineData("Leads", "LEAD_SOURCE_ID")]
    [InlineData("Tasks", "OPPORTUNITY_ID")]
    [InlineData("Tasks", "PROJECT_ID")]
    [InlineData("Projects", "OPPORTUNITY_ID")]
    public async Task References_to_records_that_do_not_exist_are_400(string collection, string field)
    {
        var required = collection switch { "Contacts" or "Leads" => "LAST_NAME", "Tasks" => "TITLE", _ => "PROJECT_NAME" };

        var reply = await Send("POST", collection, $$"""{"{{required}}": "X", "{{field}}": 987654321}""");

        AssertRefused(reply, 400, field);
        AssertRefused(reply, 400, "987654321");
    }

    [Fact]
    public async Task Links_to_records_that_do_not_exist_are_400()
    {
        var reply = await Send("POST", $"Tasks/{await CreateAny("Tasks")}/Links", """{"LINK_OBJECT_NAME": "Organisation", "LINK_OBJECT_ID": 987654321}""");

        AssertRefused(reply, 400, "LINK_OBJECT_ID");
    }

    [Theory]
    [InlineData("Opportunities", "OPPORTUNITY_STATE", "WON")]
    [InlineData("Opportunities", "OPPORTUNITY_STATE", "SUSPENDED")]
    [InlineData("Tasks", "STATUS", "IN PROGRESS")]
    [InlineData("Projects", "STATUS", "CANCELLED")]
    [InlineData("Opportunities", "BID_TYPE", "Per Month")]
    public async Task Choices_are_taken_as_spelt_in_the_documentation_and_stored_so(string collection, string field, string sent)
    {
        var name = collection switch { "Opportunities" => "OPPORTUNITY_NAME", "Tasks" => "TITLE", _ => "PROJECT_NAME" };

        var reply = await Send("POST", collection, $$"""{"{{name}}": "X", "{{field}}": "{{sent}}"}""");

        Assert.Equal(sent, reply.Json!.Str(field));
    }

    [Theory]
    [InlineData("Opportunities", "OPPORTUNITY_STATE", "Won", "'WON'")]
    [InlineData("Tasks", "STATUS", "in progress", "'IN PROGRESS'")]
    [InlineData("Projects", "STATUS", "Cancelled", "'CANCELLED'")]
    [InlineData("Opportunities", "BID_TYPE", "per month", "'Per Month'")]
    public async Task A_choice_in_another_case_is_400_naming_the_spelling_the_instance_takes(string collection, string field, string sent, string named)
    {
        var name = collection switch { "Opportunities" => "OPPORTUNITY_NAME", "Tasks" => "TITLE", _ => "PROJECT_NAME" };

        AssertRefused(await Send("POST", collection, $$"""{"{{name}}": "X", "{{field}}": "{{sent}}"}"""), 400, named);
    }

    [Fact]
    public async Task An_instance_may_spell_states_and_statuses_in_title_case_and_then_takes_only_that()
    {
        instance.StateSpelling = ChoiceSpelling.TitleCase;

        var created = await Send("POST", "Tasks", """{"TITLE": "X"}""");
        var titled = await Send("POST", "Tasks", """{"TITLE": "X", "STATUS": "In Progress"}""");
        var upper = await Send("POST", "Tasks", """{"TITLE": "X", "STATUS": "IN PROGRESS"}""");
        var won = await Send("PUT", $"Opportunities/{await CreateAny("Opportunities")}/StateChange", """{"FOR_OPPORTUNITY_STATE": "WON"}""");

        Assert.Equal(("Not Started", "In Progress"), (created.Json!.Str("STATUS"), titled.Json!.Str("STATUS")));
        AssertRefused(upper, 400, "'In Progress'");
        AssertRefused(won, 400, "'Won'");
    }

    [Theory]
    [InlineData("Opportunities", """{"OPPORTUNITY_NAME": "X", "OPPORTUNITY_STATE": "CLOSED"}""", "OPPORTUNITY_STATE")]
    [InlineData("Tasks", """{"TITLE": "X", "STATUS": "DONE"}""", "STATUS")]
    [InlineData("Tasks", """{"TITLE": "X", "PRIORITY": 4}""", "PRIORITY")]
    [InlineData("Tasks", """{"TITLE": "X", "PRIORITY": 0}""", "PRIORITY")]
    [InlineData("Projects", """{"PROJECT_NAME": "X", "STATUS": "ON HOLD"}""", "STATUS")]
    public async Task Values_outside_a_fields_choices_or_range_are_400(string collection, string body, string named)
    {
        AssertRefused(await Send("POST", collection, body), 400, named);
    }

    [Theory]
    [InlineData("POST", "Users", """{"LAST_NAME": "X"}""")]
    [InlineData("PUT", "Pipelines", """{"PIPELINE_ID": 1}""")]
    [InlineData("POST", "PipelineStages", """{"STAGE_NAME": "X"}""")]
    [InlineData("POST", "Notes", """{"TITLE": "X"}""")]
    public async Task Writes_that_Insightly_does_not_offer_are_405_with_Allow(string method, string path, string body)
    {
        var reply = await Send(method, path, body);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.Status);
        Assert.Contains("GET", reply.Response.Content.Headers.Allow);
        Assert.DoesNotContain(method, reply.Response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Only_administrators_may_change_lead_statuses()
    {
        var plainKey = server.AddUser(instance, "Plain", "User", "plain@example.com", administrator: false);

        var refused = await Send("POST", "LeadStatuses", """{"LEAD_STATUS": "Nurturing"}""", credentials: plainKey);
        var allowed = await Send("POST", "LeadStatuses", """{"LEAD_STATUS": "Nurturing"}""");

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Fact]
    public async Task Bodies_that_are_not_a_JSON_object_are_refused()
    {
        var text = await client.PostAsync("Contacts", new StringContent("LAST_NAME=X", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var broken = await Send("POST", "Contacts", """{"LAST_NAME": "X",""");
        var array = await Send("POST", "Contacts", """[{"LAST_NAME": "X"}]""");
        var duplicate = await Send("POST", "Contacts", """{"LAST_NAME": "X", "LAST_NAME": "Y"}""");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        AssertRefused(broken, 400, "JSON");
        AssertRefused(array, 400, "object");
        AssertRefused(duplicate, 400, "JSON");
    }

    // ---- Sub-collections ----

    [Fact]
    public async Task Tags_are_replaced_whole_when_sent_and_tasks_have_none()
    {
        var id = await CreateContact("""{"LAST_NAME": "X", "TAGS": [{"TAG_NAME": "a"}, {"TAG_NAME": "b"}]}""");

        await Send("PUT", "Contacts", $$"""{"CONTACT_ID": {{id}}, "TITLE": "kept"}""");
        var kept = instance.Find("Contacts", id)!["TAGS"]!.AsArray().Select(t => t!.Str("TAG_NAME"));
        await Send("PUT", "Contacts", $$"""{"CONTACT_ID": {{id}}, "TAGS": [{"TAG_NAME": "c"}]}""");
        var replaced = instance.Find("Contacts", id)!["TAGS"]!.AsArray().Select(t => t!.Str("TAG_NAME"));
        var onTask = await Send("POST", "Tasks", """{"TITLE": "T", "TAGS": [{"TAG_NAME": "a"}]}""");

        Assert.Equal(["a", "b"], kept);
        Assert.Equal(["c"], replaced);
        AssertRefused(onTask, 400, "TAGS");
    }

    [Fact]
    public async Task Customfields_are_merged_by_field_name_and_a_null_value_clears_one()
    {
        var id = await CreateContact("""
            {"LAST_NAME": "X", "CUSTOMFIELDS": [{"FIELD_NAME": "Segment__c", "FIELD_VALUE": "SMB"},
              {"FIELD_NAME": "Score__c", "FIELD_VALUE": 3}, {"FIELD_NAME": "Reference_Code__c", "FIELD_VALUE": "R"}]}
            """);

        await Send("PUT", "Contacts", $$"""
            {"CONTACT_ID": {{id}}, "CUSTOMFIELDS": [{"FIELD_NAME": "Score__c", "FIELD_VALUE": 4},
              {"FIELD_NAME": "Reference_Code__c", "FIELD_VALUE": null}, {"FIELD_NAME": "Is_Vip__c", "FIELD_VALUE": false}]}
            """);
        var values = instance.Find("Contacts", id)!["CUSTOMFIELDS"]!.AsArray()
            .ToDictionary(c => c!.Str("FIELD_NAME"), c => c!["FIELD_VALUE"]!.ToJsonString());

        Assert.Equal(new Dictionary<string, string> { ["Segment__c"] = "\"SMB\"", ["Score__c"] = "4", ["Is_Vip__c"] = "false" }, values);
    }

    [Fact]
    public async Task A_link_added_through_Links_shows_at_both_ends_under_one_id_and_is_removed_from_both()
    {
        var contact = await CreateContact("""{"LAST_NAME": "X"}""");
        var deal = await CreateAny("Opportunities");

        var added = await Send("POST", $"Opportunities/{deal}/Links",
            $$"""{"OBJECT_NAME": "Opportunity", "OBJECT_ID": {{deal}}, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": {{contact}}, "ROLE": "Buyer"}""");
        var linkId = added.Json!["LINK_ID"]!.GetValue<long>();
        var fromContact = (await Send("GET", $"Contacts/{contact}/Links")).Array.Single()!;
        var onRecord = instance.Find("Opportunities", deal)!["LINKS"]!.AsArray().Single()!;
        var removed = await Send("DELETE", $"Contacts/{contact}/Links/{linkId}");
        var again = await Send("DELETE", $"Opportunities/{deal}/Links/{linkId}");

        Assert.Equal(HttpStatusCode.OK, added.Status);
        Assert.Equal(("Opportunity", deal, "Contact", contact, "Buyer"),
            (onRecord.Str("OBJECT_NAME"), onRecord["OBJECT_ID"]!.GetValue<long>(), onRecord.Str("LINK_OBJECT_NAME"), onRecord["LINK_OBJECT_ID"]!.GetValue<long>(), onRecord.Str("ROLE")));
        Assert.Equal((linkId, "Contact", contact, "Opportunity", deal),
            (fromContact["LINK_ID"]!.GetValue<long>(), fromContact.Str("OBJECT_NAME"), fromContact["OBJECT_ID"]!.GetValue<long>(), fromContact.Str("LINK_OBJECT_NAME"), fromContact["LINK_OBJECT_ID"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
        Assert.Empty(instance.Find("Opportunities", deal)!["LINKS"]!.AsArray());
        Assert.Empty(instance.Find("Contacts", contact)!["LINKS"]!.AsArray());
        AssertRefused(again, 404, linkId.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Links_cannot_be_changed_by_POST_or_PUT_but_may_be_sent_back_unchanged()
    {
        var contact = await CreateContact("""{"LAST_NAME": "X"}""");
        var deal = await CreateAny("Opportunities");
        instance.SeedLink("Opportunities", deal, "Contacts", contact, "Buyer");
        var links = instance.Find("Opportunities", deal)!["LINKS"]!.ToJsonString();

        var onCreate = await Send("POST", "Opportunities", $$"""{"OPPORTUNITY_NAME": "D", "LINKS": [{"LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": {{contact}}}]}""");
        var replaced = await Send("PUT", "Opportunities", $$"""{"OPPORTUNITY_ID": {{deal}}, "LINKS": []}""");
        var unchanged = await Send("PUT", "Opportunities", $$"""{"OPPORTUNITY_ID": {{deal}}, "OPPORTUNITY_NAME": "Renamed", "LINKS": {{links}}}""");

        AssertRefused(onCreate, 400, "/Links");
        AssertRefused(replaced, 400, "/Links");
        Assert.Equal(HttpStatusCode.OK, unchanged.Status);
        Assert.Equal(links, instance.Find("Opportunities", deal)!["LINKS"]!.ToJsonString());
    }

    [Fact]
    public async Task A_tasks_or_notes_link_stays_on_it_and_a_deleted_record_leaves_no_links_behind()
    {
        var contact = await CreateContact("""{"LAST_NAME": "X"}""");
        var deal = await CreateAny("Opportunities");
        var task = await CreateAny("Tasks");
        instance.SeedLink("Opportunities", deal, "Contacts", contact);

        var taskLink = await Send("POST", $"Tasks/{task}/Links", $$"""{"LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": {{contact}}}""");
        var contactLinks = (await Send("GET", $"Contacts/{contact}/Links")).Array;
        await Send("DELETE", $"Contacts/{contact}");

        Assert.Equal(HttpStatusCode.OK, taskLink.Status);
        Assert.Equal(["Opportunity"], contactLinks.Select(l => l!.Str("LINK_OBJECT_NAME")));
        Assert.Empty(instance.Find("Opportunities", deal)!["LINKS"]!.AsArray());
        Assert.Empty(instance.Find("Tasks", task)!["LINKS"]!.AsArray());
    }

    [Fact]
    public async Task A_parents_tasks_are_those_linked_to_it_or_naming_it_paged_and_counted_without_a_date_filter()
    {
        var contact = await CreateContact("""{"LAST_NAME": "X"}""");
        var deal = await CreateAny("Opportunities");
        var own = (await Send("POST", "Tasks", $$"""{"TITLE": "Own", "OPPORTUNITY_ID": {{deal}}}""")).Json!["TASK_ID"]!.GetValue<long>();
        var linked = await CreateAny("Tasks");
        await Send("POST", $"Tasks/{linked}/Links", $$"""{"LINK_OBJECT_NAME": "Opportunity", "LINK_OBJECT_ID": {{deal}}}""");
        await Send("POST", $"Tasks/{linked}/Links", $$"""{"LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": {{contact}}}""");
        await CreateAny("Tasks");

        var ofDeal = await Send("GET", $"Opportunities/{deal}/Tasks?top=1&count_total=true");
        var ofContact = await Send("GET", $"Contacts/{contact}/Tasks?updated_after_utc=2099-01-01T00:00:00Z");
        var missing = await Send("GET", "Contacts/987654/Tasks");

        Assert.Equal([own], ofDeal.Array.Select(t => t!["TASK_ID"]!.GetValue<long>()));
        Assert.Equal("2", ofDeal.Header("X-Total-Count"));
        Assert.Equal([linked], ofContact.Array.Select(t => t!["TASK_ID"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    // ---- Notes ----

    [Theory]
    [InlineData("Contacts", "Contact")]
    [InlineData("Organisations", "Organisation")]
    [InlineData("Leads", "Lead")]
    [InlineData("Opportunities", "Opportunity")]
    [InlineData("Projects", "Project")]
    public async Task Notes_are_created_under_a_parent_and_linked_to_it(string parent, string objectName)
    {
        var parentId = await CreateAny(parent);

        var reply = await Send("POST", $"{parent}/{parentId}/Notes", """{"TITLE": "Called", "BODY": "<p>Spoke to <b>Zoë</b></p>"}""");
        var link = reply.Json!["LINKS"]!.AsArray().Single()!;

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal((objectName, parentId), (link.Str("LINK_OBJECT_NAME"), link["LINK_OBJECT_ID"]!.GetValue<long>()));
        Assert.Equal("Note", link.Str("OBJECT_NAME"));
        Assert.NotNull(instance.Find("Notes", reply.Json!["NOTE_ID"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Notes_cannot_be_created_at_the_top_level_or_under_a_missing_parent_or_without_a_title()
    {
        var topLevel = await Send("POST", "Notes", """{"TITLE": "x"}""");
        var missingParent = await Send("POST", "Contacts/987654/Notes", """{"TITLE": "x"}""");
        var contact = await CreateContact("""{"LAST_NAME": "X"}""");
        var untitled = await Send("POST", $"Contacts/{contact}/Notes", """{"BODY": "x"}""");
        var onTask = await Send("POST", $"Tasks/{await CreateAny("Tasks")}/Notes", """{"TITLE": "x"}""");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, topLevel.Status);
        AssertRefused(missingParent, 404, "987654");
        AssertRefused(untitled, 400, "TITLE");
        Assert.Equal(HttpStatusCode.NotFound, onTask.Status);
    }

    [Fact]
    public async Task A_parents_notes_are_listed_with_paging_count_and_updated_after()
    {
        var contact = await CreateContact("""{"LAST_NAME": "X"}""");
        var other = await CreateContact("""{"LAST_NAME": "Y"}""");
        server.Clock = new FixedClock(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await Send("POST", $"Contacts/{contact}/Notes", """{"TITLE": "old"}""");
        server.Clock = new FixedClock(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await Send("POST", $"Contacts/{contact}/Notes", """{"TITLE": "new 1"}""");
        await Send("POST", $"Contacts/{contact}/Notes", """{"TITLE": "new 2"}""");
        await Send("POST", $"Contacts/{other}/Notes", """{"TITLE": "someone else's"}""");

        var page = await Send("GET", $"Contacts/{contact}/Notes?top=2&count_total=true");
        var recent = await Send("GET", $"Contacts/{contact}/Notes?updated_after_utc=2024-03-01T00:00:00Z");
        var missing = await Send("GET", "Contacts/987654/Notes");

        Assert.Equal(["old", "new 1"], page.Array.Select(n => n!.Str("TITLE")));
        Assert.Equal("3", page.Header("X-Total-Count"));
        Assert.Equal(["new 1", "new 2"], recent.Array.Select(n => n!.Str("TITLE")));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task Notes_are_updated_with_PUT_and_deleted_by_id()
    {
        var contact = await CreateContact("""{"LAST_NAME": "X"}""");
        var note = (await Send("POST", $"Contacts/{contact}/Notes", """{"TITLE": "Draft", "BODY": "a"}""")).Json!["NOTE_ID"]!.GetValue<long>();

        var updated = await Send("PUT", "Notes", $$"""{"NOTE_ID": {{note}}, "TITLE": "Final"}""");
        var viaParent = await Send("PUT", $"Contacts/{contact}/Notes", $$"""{"NOTE_ID": {{note}}, "BODY": "b"}""");
        var wrongParent = await Send("PUT", $"Contacts/{await CreateContact("""{"LAST_NAME": "Y"}""")}/Notes", $$"""{"NOTE_ID": {{note}}, "BODY": "c"}""");
        var deleted = await Send("DELETE", $"Notes/{note}");

        Assert.Equal("Final", updated.Json!.Str("TITLE"));
        Assert.Equal(("Final", "b"), (viaParent.Json!.Str("TITLE"), viaParent.Json!.Str("BODY")));
        Assert.Equal(HttpStatusCode.NotFound, wrongParent.Status);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Null(instance.Find("Notes", note));
    }

    // ---- Pipelines and states ----

    [Fact]
    public async Task A_pipeline_change_sets_pipeline_and_stage_and_returns_the_record()
    {
        var deal = await CreateAny("Opportunities");
        var project = await CreateAny("Projects");

        var onDeal = await Send("PUT", $"Opportunities/{deal}/Pipeline",
            PipelineChange(data.Sales.Id, data.Sales.StageIds[1]));
        var onProject = await Send("PUT", $"Projects/{project}/Pipeline",
            PipelineChange(data.Delivery.Id, data.Delivery.StageIds[0]));

        Assert.Equal((data.Sales.Id, data.Sales.StageIds[1]), (onDeal.Json!["PIPELINE_ID"]!.GetValue<long>(), onDeal.Json!["STAGE_ID"]!.GetValue<long>()));
        Assert.Equal(deal, onDeal.Json!["OPPORTUNITY_ID"]!.GetValue<long>());
        Assert.Equal(data.Delivery.StageIds[0], instance.Find("Projects", project)!["STAGE_ID"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, onProject.Status);
    }

    [Fact]
    public async Task A_pipeline_change_refuses_the_wrong_kind_of_pipeline_a_foreign_stage_or_a_missing_one()
    {
        var deal = await CreateAny("Opportunities");

        var projectPipeline = await Send("PUT", $"Opportunities/{deal}/Pipeline",
            PipelineChange(data.Delivery.Id, data.Delivery.StageIds[0]));
        var foreignStage = await Send("PUT", $"Opportunities/{deal}/Pipeline",
            PipelineChange(data.Sales.Id, data.Partners.StageIds[0]));
        var noPipeline = await Send("PUT", $"Opportunities/{deal}/Pipeline", """{"PIPELINE_ID": 123, "PIPELINE_STAGE_CHANGE": {"STAGE_ID": 1}}""");
        var noStage = await Send("PUT", $"Opportunities/{deal}/Pipeline", $$"""{"PIPELINE_ID": {{data.Sales.Id}}}""");
        var missingDeal = await Send("PUT", "Opportunities/987654/Pipeline", $$"""{"PIPELINE_ID": {{data.Sales.Id}}}""");

        AssertRefused(projectPipeline, 400, "FOR_OPPORTUNITIES");
        AssertRefused(foreignStage, 400, "STAGE_ID");
        AssertRefused(noPipeline, 400, "PIPELINE_ID");
        AssertRefused(noStage, 400, "PIPELINE_STAGE_CHANGE");
        Assert.Equal(HttpStatusCode.NotFound, missingDeal.Status);
        Assert.Null(instance.Find("Opportunities", deal)!["PIPELINE_ID"]);
    }

    [Fact]
    public async Task A_stage_change_needs_a_stage_of_the_current_pipeline()
    {
        var deal = await CreateAny("Opportunities");

        var before = await Send("PUT", $"Opportunities/{deal}/PipelineStage", $$"""{"STAGE_ID": {{data.Sales.StageIds[0]}}}""");
        await Send("PUT", $"Opportunities/{deal}/Pipeline", PipelineChange(data.Sales.Id, data.Sales.StageIds[0]));
        var foreign = await Send("PUT", $"Opportunities/{deal}/PipelineStage", $$"""{"STAGE_ID": {{data.Partners.StageIds[1]}}}""");
        var moved = await Send("PUT", $"Opportunities/{deal}/PipelineStage", $$"""{"STAGE_ID": {{data.Sales.StageIds[2]}}}""");
        var v31Shape = await Send("PUT", $"Opportunities/{deal}/PipelineStage", $$$"""{"PIPELINE_STAGE_CHANGE": {"STAGE_ID": {{{data.Sales.StageIds[3]}}}}}""");

        AssertRefused(before, 400, "no pipeline");
        AssertRefused(foreign, 400, "STAGE_ID");
        Assert.Equal(data.Sales.StageIds[2], moved.Json!["STAGE_ID"]!.GetValue<long>());
        Assert.Equal(data.Sales.StageIds[3], v31Shape.Json!["STAGE_ID"]!.GetValue<long>());
    }

    [Fact]
    public async Task Deleting_the_pipeline_clears_pipeline_and_stage()
    {
        var project = await CreateAny("Projects");
        await Send("PUT", $"Projects/{project}/Pipeline", PipelineChange(data.Delivery.Id, data.Delivery.StageIds[1]));

        var reply = await Send("DELETE", $"Projects/{project}/Pipeline");
        var stored = instance.Find("Projects", project)!;

        Assert.True(reply.Status is HttpStatusCode.OK or HttpStatusCode.NoContent);
        Assert.Null(stored["PIPELINE_ID"]);
        Assert.Null(stored["STAGE_ID"]);
    }

    [Fact]
    public async Task A_state_change_sets_the_state_and_returns_the_state_model()
    {
        var deal = await CreateAny("Opportunities");

        var won = await Send("PUT", $"Opportunities/{deal}/StateChange", $$"""{"FOR_OPPORTUNITY_STATE": "WON", "STATE_REASON_ID": {{data.WonReasonId}}, "STATE_REASON": "Signed"}""");
        var history = await Send("GET", $"Opportunities/{deal}/StateHistory");

        Assert.Equal(HttpStatusCode.OK, won.Status);
        Assert.Equal(("WON", deal, data.WonReasonId), (won.Json!.Str("FOR_OPPORTUNITY_STATE"), won.Json!["OPPORTUNITY_ID"]!.GetValue<long>(), won.Json!["STATE_REASON_ID"]!.GetValue<long>()));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", won.Json!.Str("DATE_CHANGED_UTC"));
        Assert.Equal("WON", instance.Find("Opportunities", deal)!.Str("OPPORTUNITY_STATE"));
        Assert.Single(history.Array);
    }

    [Fact]
    public async Task A_state_change_to_an_unknown_state_or_with_another_states_reason_is_400()
    {
        var deal = await CreateAny("Opportunities");

        var unknown = await Send("PUT", $"Opportunities/{deal}/StateChange", """{"FOR_OPPORTUNITY_STATE": "Closed"}""");
        var missing = await Send("PUT", $"Opportunities/{deal}/StateChange", """{"STATE_REASON": "x"}""");
        var wrongReason = await Send("PUT", $"Opportunities/{deal}/StateChange", $$"""{"FOR_OPPORTUNITY_STATE": "WON", "STATE_REASON_ID": {{data.LostReasonId}}}""");
        var onProject = await Send("PUT", $"Projects/{await CreateAny("Projects")}/StateChange", """{"FOR_OPPORTUNITY_STATE": "WON"}""");

        AssertRefused(unknown, 400, "Closed");
        AssertRefused(missing, 400, "FOR_OPPORTUNITY_STATE");
        AssertRefused(wrongReason, 400, "STATE_REASON_ID");
        Assert.Equal(HttpStatusCode.NotFound, onProject.Status);
        Assert.Equal("OPEN", instance.Find("Opportunities", deal)!.Str("OPPORTUNITY_STATE"));
    }

    [Fact]
    public async Task Lead_statuses_hide_the_converted_status_unless_asked()
    {
        var plain = await Send("GET", "LeadStatuses");
        var all = await Send("GET", "LeadStatuses?include_converted=true");

        Assert.DoesNotContain(data.ConvertedLeadStatusId, plain.Array.Select(s => s!["LEAD_STATUS_ID"]!.GetValue<long>()));
        Assert.Contains(data.ConvertedLeadStatusId, all.Array.Select(s => s!["LEAD_STATUS_ID"]!.GetValue<long>()));
        Assert.Equal(all.Array.Count - 1, plain.Array.Count);
    }

    // ---- Seed data ----

    [Fact]
    public async Task Seeded_contacts_look_like_real_ones()
    {
        instance.SeedOrganisations(4);
        var contacts = instance.SeedContacts(30);

        Assert.Equal(30, (await Send("GET", "Contacts?top=500")).Array.Count);
        Assert.Contains(contacts, c => c["LAST_NAME"]!.GetValue<string>().Any(ch => ch > 127));
        Assert.Contains(contacts, c => c["FIRST_NAME"] is null);
        Assert.Contains(contacts, c => c["EMAIL_ADDRESS"] is null);
        Assert.Contains(contacts, c => !c.ContainsKey("TAGS"));
        Assert.Contains(contacts, c => !c.ContainsKey("CUSTOMFIELDS"));
        Assert.Contains(contacts, c => c["ORGANISATION_ID"] is not null);
        var customFieldNames = contacts.SelectMany(c => c["CUSTOMFIELDS"]?.AsArray() ?? []).Select(v => v!.Str("FIELD_NAME")).Distinct();
        Assert.True(customFieldNames.Count() >= 10);
    }

    // ---- Request log ----

    [Fact]
    public async Task The_request_log_keeps_query_headers_and_body_as_received()
    {
        server.ClearRequests();
        using var request = new HttpRequestMessage(HttpMethod.Post, "Contacts?brief=false&x=1")
        {
            Content = new StringContent("""{"LAST_NAME": "Logged"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Trace", "abc");
        await client.SendAsync(request);

        var logged = server.Requests.Single();

        Assert.Equal(("POST", "eu1", "Contacts", key), (logged.Method, logged.Pod, logged.Path, logged.ApiKey));
        Assert.Equal("?brief=false&x=1", logged.QueryString);
        Assert.Equal("1", logged.Query["X"]);
        Assert.StartsWith("Basic ", logged.Header("authorization"), StringComparison.Ordinal);
        Assert.Equal("abc", logged.Header("x-trace"));
        Assert.Null(logged.Header("x-functions-key"));
        Assert.Equal("""{"LAST_NAME": "Logged"}""", logged.Body);
        Assert.Equal("Logged", logged.Json()!["LAST_NAME"]!.GetValue<string>());
    }

    // ---- Scripted faults ----

    [Fact]
    public async Task A_fault_can_match_by_method_and_matches_its_path_case_insensitively()
    {
        server.AddFault(new ScriptedFault(key, "contacts", 503, 1) { Method = "POST" });

        var get = await Send("GET", "Contacts");
        var post = await Send("POST", "Contacts", """{"LAST_NAME": "X"}""");
        var retried = await Send("POST", "Contacts", """{"LAST_NAME": "X"}""");

        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.Status);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Single(instance.All("Contacts"));
    }

    [Fact]
    public async Task A_malformed_JSON_fault_answers_200_with_broken_JSON_after_the_write_happened()
    {
        server.AddFault(ScriptedFault.MalformedJson(key, "Contacts", method: "POST"));

        var reply = await Send("POST", "Contacts", """{"LAST_NAME": "Written"}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Null(reply.Json);
        Assert.NotEmpty(reply.Text);
        Assert.Equal("Written", instance.All("Contacts").Single()["LAST_NAME"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reset_fault_breaks_the_connection_in_the_middle_of_the_body()
    {
        instance.SeedContacts(20);
        server.AddFault(ScriptedFault.ResetMidBody(key, "Contacts"));

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await client.GetAsync("Contacts");
            await response.Content.ReadAsStringAsync();
        });
        Assert.Equal(HttpStatusCode.OK, (await Send("GET", "Contacts")).Status);
    }

    [Fact]
    public async Task A_slow_body_fault_sends_headers_at_once_and_trickles_the_real_body()
    {
        instance.SeedContacts(3);
        server.AddFault(ScriptedFault.SlowBody(key, "Contacts", TimeSpan.FromMilliseconds(200), pieces: 4));

        using var response = await client.GetAsync("Contacts", HttpCompletionOption.ResponseHeadersRead);
        var afterHeaders = System.Diagnostics.Stopwatch.StartNew();
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Four 200 ms pauses follow the headers; the first may overlap their trip to the client.
        Assert.True(afterHeaders.Elapsed >= TimeSpan.FromMilliseconds(400), $"the body came only {afterHeaders.Elapsed} after the headers");
        Assert.Equal(3, JsonNode.Parse(body)!.AsArray().Count);
    }

    // ---- Canned answers and latency ----

    [Fact]
    public async Task A_canned_answer_gives_its_status_headers_and_a_generated_body_of_exactly_its_length()
    {
        server.AddCannedResponse(new CannedResponse(key, "Contacts", Status: 207)
        {
            Method = "GET",
            BodyBytes = 1_000_003,
            Headers = new Dictionary<string, string> { ["Set-Cookie"] = "session=fake", ["X-Total-Count"] = "7" },
        });
        var writtenBefore = server.CannedBytesWritten;

        using var response = await client.GetAsync("Contacts?top=1");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(207, (int)response.StatusCode);
        Assert.Equal(1_000_003, response.Content.Headers.ContentLength);
        Assert.Equal("session=fake", response.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("7", response.Headers.GetValues("X-Total-Count").Single());
        Assert.True(response.Headers.Contains("X-RateLimit-Remaining"));
        Assert.Equal(1_000_003, body.Length);
        Assert.All(new long[] { 0, 1, 35, 36, 999_999, 1_000_002 }, offset => Assert.Equal(CannedResponse.BodyByteAt(offset, body.Length), body[offset]));
        Assert.IsType<string>(JsonNode.Parse(body)!.GetValue<string>());
        Assert.Equal(1_000_003, server.CannedBytesWritten - writtenBefore);
        Assert.Equal("?top=1", server.Requests.Last().QueryString);
        Assert.Equal(HttpStatusCode.OK, (await Send("GET", "Contacts")).Status); // used up
    }

    [Fact]
    public async Task A_chunked_canned_answer_has_no_Content_Length()
    {
        server.AddCannedResponse(new CannedResponse(key, "Contacts") { BodyBytes = 100_000, Chunked = true });

        using var response = await client.GetAsync("Contacts", HttpCompletionOption.ResponseHeadersRead);

        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(100_000, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_canned_answer_can_break_off_after_part_of_its_body()
    {
        server.AddCannedResponse(new CannedResponse(key, "Contacts") { BodyBytes = 1_000_000, AbortAfterBytes = 300_000 });

        using var response = await client.GetAsync("Contacts", HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long received = 0;
        var broke = await Record.ExceptionAsync(async () =>
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });

        Assert.Equal(1_000_000, response.Content.Headers.ContentLength);
        Assert.NotNull(broke);
        Assert.Equal(300_000, received);
    }

    [Fact]
    public async Task Latency_delays_every_answer()
    {
        server.Latency = TimeSpan.FromMilliseconds(300);
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.OK, (await Send("GET", "Users/Me")).Status);
            // Task.Delay's timer may fire a tick before the Stopwatch says 300 ms (one run saw 298.6 ms).
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"answered after {watch.Elapsed}");
        }
        finally
        {
            server.Latency = TimeSpan.Zero;
        }
    }

    // ---- Helpers ----

    private static AuthenticationHeaderValue Basic(string credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    private async Task<HttpResponseMessage> Get(string path, string credentials, string pod = "eu1")
    {
        using var other = new HttpClient { BaseAddress = new Uri(server.BaseUrlTemplate.Replace("{pod}", pod, StringComparison.Ordinal)) };
        other.DefaultRequestHeaders.Authorization = Basic(credentials);
        return await other.GetAsync(path);
    }

    private async Task<Reply> Send(string method, string path, string? body = null, string? ifMatch = null, string? credentials = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (credentials is not null)
        {
            request.Headers.Authorization = Basic(credentials + ":");
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            json = null;
        }

        return new Reply(response.StatusCode, json, text, response);
    }

    private async Task<long> CreateContact(string body)
    {
        var reply = await Send("POST", "Contacts", body);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        return reply.Json!["CONTACT_ID"]!.GetValue<long>();
    }

    private async Task<long> CreateAny(string collection)
    {
        var (body, idField) = collection switch
        {
            "Contacts" => ("""{"LAST_NAME": "Parent"}""", "CONTACT_ID"),
            "Organisations" => ("""{"ORGANISATION_NAME": "Parent Ltd"}""", "ORGANISATION_ID"),
            "Leads" => ("""{"LAST_NAME": "Parent"}""", "LEAD_ID"),
            "Opportunities" => ("""{"OPPORTUNITY_NAME": "Deal"}""", "OPPORTUNITY_ID"),
            "Projects" => ("""{"PROJECT_NAME": "Rollout"}""", "PROJECT_ID"),
            _ => ("""{"TITLE": "Call back"}""", "TASK_ID"),
        };
        var reply = await Send("POST", collection, body);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        return reply.Json![idField]!.GetValue<long>();
    }

    private static void AssertRefused(Reply reply, int status, string named)
    {
        Assert.True((int)reply.Status == status, $"Expected {status}, got {(int)reply.Status}: {reply.Text}");
        var message = reply.Json?["Message"]?.GetValue<string>() ?? "";
        Assert.True(message.Contains(named, StringComparison.Ordinal), $"Expected the message to name '{named}': {message}");
    }

    private static JsonObject Contact(long id, string lastName, string? email = null, string updated = "2024-02-03 04:05:06", JsonArray? customFields = null) => new()
    {
        ["CONTACT_ID"] = id,
        ["FIRST_NAME"] = null,
        ["LAST_NAME"] = lastName,
        ["EMAIL_ADDRESS"] = email,
        ["DATE_CREATED_UTC"] = "2024-01-02 03:04:05",
        ["DATE_UPDATED_UTC"] = updated,
        ["CUSTOMFIELDS"] = customFields ?? [],
        ["TAGS"] = new JsonArray(),
        ["DATES"] = new JsonArray(),
        ["LINKS"] = new JsonArray(),
    };

    /// <summary>The body of <c>PUT /{C}/{id}/Pipeline</c>.</summary>
    private static string PipelineChange(long pipelineId, long stageId) =>
        new JsonObject { ["PIPELINE_ID"] = pipelineId, ["PIPELINE_STAGE_CHANGE"] = new JsonObject { ["STAGE_ID"] = stageId } }.ToJsonString();

    private static JsonObject Custom(string name, JsonNode? value) => new() { ["FIELD_NAME"] = name, ["FIELD_VALUE"] = value };

    private sealed record Reply(HttpStatusCode Status, JsonNode? Json, string Text, HttpResponseMessage Response)
    {
        public JsonArray Array => Json as JsonArray ?? throw new InvalidOperationException($"Not an array ({(int)Status}): {Text}");

        public string? Header(string name) => Response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
