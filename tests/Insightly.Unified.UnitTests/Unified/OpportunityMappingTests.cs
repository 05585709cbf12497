using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class OpportunityMappingTests
{
    /// <summary>
    /// An opportunity as <c>GET /Opportunities/{id}</c> returns it, its state upper case as v3.1 answers, bid as a monthly
    /// rate for a year: its value (OPPORTUNITY_VALUE) is twelve times its BID_AMOUNT.
    /// </summary>
    private const string Record = """
        {
          "OPPORTUNITY_ID": 400001, "OPPORTUNITY_NAME": "Ørsted wind farm — phase 2 🌬️",
          "OPPORTUNITY_DETAILS": "Turbines for the Hornsea extension.", "OPPORTUNITY_STATE": "WON",
          "RESPONSIBLE_USER_ID": 1002, "CATEGORY_ID": 12, "IMAGE_URL": null, "BID_CURRENCY": "EUR", "BID_AMOUNT": 10417.5,
          "BID_TYPE": "Per Month", "BID_DURATION": 12,
          "ACTUAL_CLOSE_DATE": "2025-10-26 00:00:00", "FORECAST_CLOSE_DATE": "2025-03-30 00:00:00",
          "OPPORTUNITY_VALUE": 125010, "PROBABILITY": 100, "OWNER_USER_ID": 1001, "CREATED_USER_ID": 1001,
          "DATE_CREATED_UTC": "2025-01-15 10:00:00", "DATE_UPDATED_UTC": "2025-10-26 01:59:59",
          "LAST_ACTIVITY_DATE_UTC": "2025-10-26 01:00:00", "NEXT_ACTIVITY_DATE_UTC": null,
          "PIPELINE_ID": 900002, "STAGE_ID": 910006, "ORGANISATION_ID": 200001, "PRICEBOOK_ID": null,
          "CUSTOMFIELDS": [{"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "2025-03-30 01:00:00"}, {"FIELD_NAME": "Score__c", "FIELD_VALUE": 42.5}],
          "TAGS": [{"TAG_NAME": "wind"}, {"TAG_NAME": "Nordics"}],
          "LINKS": [
            {"LINK_ID": 9201, "OBJECT_NAME": "Opportunity", "OBJECT_ID": 400001, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100101, "ROLE": "Decision maker", "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9202, "OBJECT_NAME": "Opportunity", "OBJECT_ID": 400001, "LINK_OBJECT_NAME": "Organisation", "LINK_OBJECT_ID": 200002, "ROLE": "Partner", "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9203, "OBJECT_NAME": "Opportunity", "OBJECT_ID": 400001, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100102, "ROLE": null, "DETAILS": "Technical buyer", "RELATIONSHIP_ID": null, "IS_FORWARD": null}
          ]
        }
        """;

    private const string Unified = """
        {
          "id": "400001",
          "created_at": "2025-01-15T10:00:00Z",
          "updated_at": "2025-10-26T01:59:59Z",
          "name": "Ørsted wind farm — phase 2 🌬️",
          "description": "Turbines for the Hornsea extension.",
          "amount": 125010,
          "bid": {"type": "per_month", "amount": 10417.5, "duration": 12},
          "currency": "EUR",
          "probability": 100,
          "close_date": "2025-03-30",
          "actual_close_date": "2025-10-26",
          "owner": {"id": "1001"},
          "assignee": {"id": "1002"},
          "account": {"id": "200001"},
          "pipeline": {"id": "900002", "name": "Partner deals — Ørsted"},
          "stage": {"id": "910006", "name": "Evaluating"},
          "status": "won",
          "contacts": [{"id": "100101"}, {"id": "100102"}],
          "tags": [{"name": "wind"}, {"name": "Nordics"}],
          "last_activity_at": "2025-10-26T01:00:00Z",
          "custom_fields": {"Last_Reviewed__c": "2025-03-30T01:00:00Z", "Score__c": 42.5}
        }
        """;

    [Fact]
    public void A_full_opportunity_maps_to_exactly_the_unified_opportunity_with_pipeline_and_stage_named()
    {
        var unified = Read(Opportunities.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal(Unified, unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_opportunity_has_no_remote_data_property()
    {
        Equal(Unified, Read(Opportunities.Resource, Record, Fixtures.Context(includeRemoteData: false)));
    }

    [Theory]
    [InlineData("OPEN", "open")]
    [InlineData("Open", "open")]
    [InlineData("WON", "won")]
    [InlineData("LOST", "lost")]
    [InlineData("ABANDONED", "abandoned")]
    [InlineData("SUSPENDED", "suspended")]
    [InlineData("Suspended", "suspended")]
    public void Every_opportunity_state_reads_as_its_status_whatever_its_case(string state, string status)
    {
        Assert.Equal(status, Read(Opportunities.Resource, $$"""{"OPPORTUNITY_ID": 1, "OPPORTUNITY_STATE": "{{state}}"}""")["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_state_the_contract_does_not_know_reads_as_null_and_stays_in_remote_data()
    {
        var unified = Read(Opportunities.Resource, """{"OPPORTUNITY_ID": 1, "OPPORTUNITY_STATE": "PENDING"}""");

        Assert.Null(unified["status"]);
        Assert.Equal("PENDING", unified["remote_data"]!["OPPORTUNITY_STATE"]!.GetValue<string>());
    }

    [Fact]
    public void A_pipeline_and_stage_the_lookups_lack_keep_their_ids_with_null_names()
    {
        var unified = Read(Opportunities.Resource, """{"OPPORTUNITY_ID": 1, "PIPELINE_ID": 900077, "STAGE_ID": 910077}""");

        Equal("""{"id": "900077", "name": null}""", unified["pipeline"]);
        Equal("""{"id": "910077", "name": null}""", unified["stage"]);
    }

    [Fact]
    public void An_opportunity_with_no_pipeline_nulls_and_no_sub_collections_maps_to_nulls_and_empty_lists()
    {
        const string record = """
            {"OPPORTUNITY_ID": 400002, "OPPORTUNITY_NAME": "渡辺 renewal", "OPPORTUNITY_STATE": null, "BID_AMOUNT": null, "BID_CURRENCY": null,
             "PROBABILITY": null, "FORECAST_CLOSE_DATE": null, "ACTUAL_CLOSE_DATE": "0000-00-00 00:00:00", "PIPELINE_ID": null, "STAGE_ID": null,
             "ORGANISATION_ID": null, "DATE_CREATED_UTC": "2025-01-15 10:00:00", "DATE_UPDATED_UTC": "2025-01-15 10:00:00"}
            """;

        Equal("""
            {"id": "400002", "created_at": "2025-01-15T10:00:00Z", "updated_at": "2025-01-15T10:00:00Z", "name": "渡辺 renewal",
             "description": null, "amount": null, "bid": null, "currency": null, "probability": null, "close_date": null, "actual_close_date": null,
             "owner": null, "assignee": null, "account": null, "pipeline": null, "stage": null, "status": null, "contacts": [],
             "tags": [], "last_activity_at": null, "custom_fields": {}}
            """, Read(Opportunities.Resource, record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void A_full_create_body_maps_to_the_Insightly_opportunity_then_its_link_pipeline_and_state_calls()
    {
        var plan = Create(Opportunities.Resource, """
            {
              "name": "Zürich Versicherung — renewal", "description": "Three-year term.", "bid": {"type": "per_year", "amount": 16000, "duration": 3},
              "currency": "CHF", "probability": 60, "close_date": "2025-10-26", "actual_close_date": "2025-10-27",
              "owner": {"id": "1001"}, "assignee": {"id": "1002"}, "account": {"id": "200001"},
              "pipeline": {"id": "900001", "name": "Sales"}, "stage": {"id": "910003"},
              "status": "won",
              "contacts": [{"id": "100101"}, {"id": "100102"}, {"id": "100101"}],
              "tags": [{"name": "renewal"}],
              "custom_fields": {"Last_Reviewed__c": "2025-03-30T03:00:00+02:00", "Related_Organisation__c": "200002"},
              "remote_data": {"BID_CURRENCY": "EUR", "CATEGORY_ID": 12}
            }
            """);

        Equal("""
            {
              "OPPORTUNITY_NAME": "Zürich Versicherung — renewal", "OPPORTUNITY_DETAILS": "Three-year term.",
              "BID_TYPE": "Per Year", "BID_AMOUNT": 16000, "BID_DURATION": 3,
              "BID_CURRENCY": "EUR", "PROBABILITY": 60, "FORECAST_CLOSE_DATE": "2025-10-26 00:00:00", "ACTUAL_CLOSE_DATE": "2025-10-27 00:00:00",
              "OWNER_USER_ID": 1001, "RESPONSIBLE_USER_ID": 1002, "ORGANISATION_ID": 200001,
              "TAGS": [{"TAG_NAME": "renewal"}],
              "CUSTOMFIELDS": [{"FIELD_NAME": "Last_Reviewed__c", "FIELD_VALUE": "2025-03-30 01:00:00"}, {"FIELD_NAME": "Related_Organisation__c", "FIELD_VALUE": 200002}],
              "CATEGORY_ID": 12
            }
            """, plan.Body);
        Equal("""
            [
              {"part": "link contact 100101", "method": "POST", "path": "Links",
               "body": {"OBJECT_NAME": "Opportunity", "OBJECT_ID": 400009, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100101}},
              {"part": "link contact 100102", "method": "POST", "path": "Links",
               "body": {"OBJECT_NAME": "Opportunity", "OBJECT_ID": 400009, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100102}},
              {"part": "pipeline", "method": "PUT", "path": "Pipeline", "body": {"PIPELINE_ID": 900001, "PIPELINE_STAGE_CHANGE": {"STAGE_ID": 910003}}},
              {"part": "status", "method": "PUT", "path": "StateChange", "body": {"FOR_OPPORTUNITY_STATE": "WON"}}
            ]
            """, Calls(Opportunities.Resource, plan, 400009));
    }

    [Fact]
    public void A_new_opportunity_given_only_a_pipeline_enters_its_first_stage()
    {
        var plan = Create(Opportunities.Resource, """{"name": "Intro", "pipeline": {"id": "900002"}}""");

        Equal("""{"OPPORTUNITY_NAME": "Intro"}""", plan.Body);
        Equal("""[{"part": "pipeline", "method": "PUT", "path": "Pipeline", "body": {"PIPELINE_ID": 900002, "PIPELINE_STAGE_CHANGE": {"STAGE_ID": 910005}}}]""", FollowUps(plan));
    }

    [Fact]
    public void A_pipeline_whose_stages_the_account_cannot_see_needs_a_stage()
    {
        var noStages = new MappingContext(Fixtures.Lookups(stages: null), Fixtures.Definitions(), includeRemoteData: true);

        Assert.Equal(["pipeline"], RefusedFields(() => Update(Opportunities.Resource, """{"pipeline": {"id": "900001"}}""", context: noStages)));
        Equal("""[{"part": "pipeline", "method": "PUT", "path": "Pipeline", "body": {"PIPELINE_ID": 900001, "PIPELINE_STAGE_CHANGE": {"STAGE_ID": 910002}}}]""",
            FollowUps(Update(Opportunities.Resource, """{"pipeline": {"id": "900001"}, "stage": {"id": "910002"}}""", context: noStages)));
    }

    [Fact]
    public void Creating_an_opportunity_as_open_needs_no_state_call()
    {
        var plan = Create(Opportunities.Resource, """{"name": "Fresh", "status": "open"}""");

        Equal("""{"OPPORTUNITY_NAME": "Fresh"}""", plan.Body);
        Assert.Empty(plan.FollowUps);
    }

    [Fact]
    public void Creating_an_opportunity_with_a_null_pipeline_needs_no_pipeline_call()
    {
        var plan = Create(Opportunities.Resource, """{"name": "Unplanned", "pipeline": null, "stage": null}""");

        Equal("""{"OPPORTUNITY_NAME": "Unplanned"}""", plan.Body);
        Assert.Empty(plan.FollowUps);
    }

    [Theory]
    [InlineData("open", "OPEN")]
    [InlineData("won", "WON")]
    [InlineData("lost", "LOST")]
    [InlineData("abandoned", "ABANDONED")]
    [InlineData("suspended", "SUSPENDED")]
    public void Every_status_is_a_state_change_call_not_a_column_spelt_as_documented_until_the_account_shows_its_own(string status, string state)
    {
        var plan = Update(Opportunities.Resource, $$"""{"status": "{{status}}"}""");

        Assert.Empty(plan.Body);
        Equal($$$"""[{"part": "status", "method": "PUT", "path": "StateChange", "body": {"FOR_OPPORTUNITY_STATE": "{{{state}}}"}}]""", FollowUps(plan));
    }

    [Fact]
    public void A_status_cannot_be_cleared_or_be_outside_the_contract()
    {
        Assert.Equal(["status"], RefusedFields(() => Update(Opportunities.Resource, """{"status": null}""")));
        Assert.Equal(["status"], RefusedFields(() => Update(Opportunities.Resource, """{"status": "WON"}""")));
        Assert.Equal(["status"], RefusedFields(() => Update(Opportunities.Resource, """{"status": "pending"}""")));
    }

    [Fact]
    public void A_stage_alone_moves_the_record_within_its_pipeline()
    {
        var plan = Update(Opportunities.Resource, """{"stage": {"id": "910004", "name": "Négociation"}}""");

        Assert.Empty(plan.Body);
        Equal("""[{"part": "stage", "method": "PUT", "path": "PipelineStage", "body": {"STAGE_ID": 910004}}]""", FollowUps(plan));
    }

    [Fact]
    public void A_null_pipeline_takes_the_record_out_of_its_pipeline()
    {
        Equal("""[{"part": "pipeline", "method": "DELETE", "path": "Pipeline", "body": null}]""",
            FollowUps(Update(Opportunities.Resource, """{"pipeline": null}""")));
        Equal("""[{"part": "pipeline", "method": "DELETE", "path": "Pipeline", "body": null}]""",
            FollowUps(Update(Opportunities.Resource, """{"pipeline": null, "stage": null}""")));
    }

    [Fact]
    public void Pipeline_and_stage_combinations_that_cannot_be_done_are_refused()
    {
        Assert.Equal(["stage"], RefusedFields(() => Update(Opportunities.Resource, """{"stage": null}""")));
        Assert.Equal(["stage"], RefusedFields(() => Update(Opportunities.Resource, """{"pipeline": null, "stage": {"id": "910001"}}""")));
        Assert.Equal(["stage"], RefusedFields(() => Create(Opportunities.Resource, """{"name": "x", "stage": {"id": "910001"}}""")));
        Assert.Equal(["pipeline"], RefusedFields(() => Update(Opportunities.Resource, """{"pipeline": {"id": "Sales"}}""")));
    }

    [Fact]
    public void Pipeline_and_stage_calls_come_before_the_state_change()
    {
        var plan = Update(Opportunities.Resource, """{"status": "lost", "stage": {"id": "910004"}, "pipeline": {"id": "900001"}}""");

        Assert.Equal(["pipeline", "status"], plan.FollowUps.Select(c => c.Part));
    }

    [Fact]
    public void Contacts_add_the_missing_contact_links_and_remove_the_others_through_Links_keeping_every_other_link()
    {
        var plan = Update(Opportunities.Resource, """{"contacts": [{"id": "100102"}, {"id": "100103"}]}""");

        Assert.Empty(plan.Body);
        Equal("""
            [
              {"part": "link contact 100103", "method": "POST", "path": "Links",
               "body": {"OBJECT_NAME": "Opportunity", "OBJECT_ID": 400001, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100103}},
              {"part": "unlink contact 100101", "method": "DELETE", "path": "Links/9201", "body": null}
            ]
            """, Calls(Opportunities.Resource, plan, 400001, LinksOf(Record)));
    }

    [Fact]
    public void Null_contacts_remove_every_contact_link()
    {
        var plan = Update(Opportunities.Resource, """{"contacts": null}""");

        Assert.Equal(["Links/9201", "Links/9203"], Calls(Opportunities.Resource, plan, 400001, LinksOf(Record)).Select(c => c!["path"]!.GetValue<string>()));
    }

    [Fact]
    public void The_amount_is_the_opportunity_value_not_the_bid_amount_which_may_be_a_rate()
    {
        var unified = Read(Opportunities.Resource, """
            {"OPPORTUNITY_ID": 1, "BID_TYPE": "Per Hour", "BID_AMOUNT": 95.5, "BID_DURATION": 40, "OPPORTUNITY_VALUE": 3820}
            """);

        Equal("""{"amount": 3820, "bid": {"type": "per_hour", "amount": 95.5, "duration": 40}}""", Pick(unified, "amount", "bid"));
    }

    [Theory]
    [InlineData("Fixed Bid", "fixed_bid")]
    [InlineData("PER DAY", "per_day")]
    [InlineData("Per Week", "per_week")]
    [InlineData("per month", "per_month")]
    [InlineData("Per Year", "per_year")]
    [InlineData("Per Decade", null)]
    public void Every_bid_type_reads_whatever_its_case(string insightly, string? unified)
    {
        var bid = Read(Opportunities.Resource, $$"""{"OPPORTUNITY_ID": 1, "BID_TYPE": "{{insightly}}", "BID_AMOUNT": 10}""")["bid"]!;

        Assert.Equal(unified, bid["type"]?.GetValue<string>());
    }

    [Fact]
    public void Writing_an_amount_makes_a_fixed_bid_of_it_and_null_clears_the_bid()
    {
        Equal("""{"BID_TYPE": "Fixed Bid", "BID_AMOUNT": 48000.5, "BID_DURATION": null}""", Update(Opportunities.Resource, """{"amount": 48000.5}""").Body);
        Equal("""{"BID_TYPE": null, "BID_AMOUNT": null, "BID_DURATION": null}""", Update(Opportunities.Resource, """{"amount": null}""").Body);
        Equal("""{"BID_TYPE": null, "BID_AMOUNT": null, "BID_DURATION": null}""", Update(Opportunities.Resource, """{"bid": null}""").Body);
    }

    [Fact]
    public void Writing_a_bid_sets_its_terms_whole()
    {
        Equal("""{"BID_TYPE": "Per Month", "BID_AMOUNT": 150.5, "BID_DURATION": 12}""",
            Update(Opportunities.Resource, """{"bid": {"type": "per_month", "amount": 150.5, "duration": 12}}""").Body);
        Equal("""{"BID_TYPE": "Per Hour", "BID_AMOUNT": null, "BID_DURATION": null}""",
            Update(Opportunities.Resource, """{"bid": {"type": "per_hour"}}""").Body);
    }

    [Theory]
    [InlineData("""{"amount": 1806, "bid": {"type": "per_month", "amount": 150.5, "duration": 12}}""", "Per Month")]
    [InlineData("""{"amount": 500, "bid": {"type": "fixed_bid", "amount": 500}}""", "Fixed Bid")]
    [InlineData("""{"amount": null, "bid": null}""", null)]
    public void An_amount_and_a_bid_that_agree_are_taken_as_the_bid(string body, string? type)
    {
        Assert.Equal(type, Update(Opportunities.Resource, body).Body["BID_TYPE"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"amount": 1000, "bid": {"type": "per_month", "amount": 150.5, "duration": 12}}""", "1806")]
    [InlineData("""{"amount": 1000, "bid": null}""", "no value")]
    [InlineData("""{"amount": null, "bid": {"type": "fixed_bid", "amount": 5}}""", "5")]
    public void An_amount_and_a_bid_that_disagree_are_400_naming_both(string body, string computed)
    {
        var (fields, message) = Refusal(() => Update(Opportunities.Resource, body));

        Assert.Equal(["amount", "bid"], fields);
        Assert.Contains($"makes the value {computed}", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"bid": {"type": "fixed_bid", "amount": 5, "duration": 2}}""")]
    [InlineData("""{"bid": {"amount": 5}}""")]
    [InlineData("""{"bid": {"type": "Per Month", "amount": 5}}""")]
    [InlineData("""{"bid": {"type": "per_month", "amount": "5"}}""")]
    [InlineData("""{"bid": {"type": "per_month", "duration": 1.5}}""")]
    [InlineData("""{"bid": {"type": "per_month", "duration": -1}}""")]
    [InlineData("""{"bid": {"type": "per_month", "rate": 5}}""")]
    [InlineData("""{"bid": 5}""")]
    [InlineData("""{"bid": 5, "amount": 5}""")]
    public void A_bid_that_is_not_one_is_400_naming_it(string body)
    {
        Assert.Equal(["bid"], RefusedFields(() => Update(Opportunities.Resource, body)));
    }

    [Fact]
    public void Amounts_and_probabilities_are_checked()
    {
        Equal("""{"BID_TYPE": "Fixed Bid", "BID_AMOUNT": 0.01, "BID_DURATION": null, "PROBABILITY": 0}""",
            Update(Opportunities.Resource, """{"amount": 0.01, "probability": 0}""").Body);
        Assert.Equal(["amount", "probability"], RefusedFields(() => Update(Opportunities.Resource, """{"amount": "48000", "probability": 101}""")));
        Assert.Equal(["probability"], RefusedFields(() => Update(Opportunities.Resource, """{"probability": 50.5}""")));
    }

    [Fact]
    public void Reading_an_opportunity_and_patching_it_back_writes_its_own_columns_and_the_same_pipeline_stage_and_state()
    {
        var plan = AssertRoundTrip(Opportunities.Resource, Record);

        Equal("""
            [
              {"part": "pipeline", "method": "PUT", "path": "Pipeline", "body": {"PIPELINE_ID": 900002, "PIPELINE_STAGE_CHANGE": {"STAGE_ID": 910006}}},
              {"part": "status", "method": "PUT", "path": "StateChange", "body": {"FOR_OPPORTUNITY_STATE": "WON"}}
            ]
            """, FollowUps(plan));
        Assert.False(plan.Body.ContainsKey("OPPORTUNITY_STATE"));
        Assert.False(plan.Body.ContainsKey("PIPELINE_ID"));
    }

    [Fact]
    public void The_first_stage_of_a_pipeline_is_the_lowest_STAGE_ORDER_not_the_first_listed()
    {
        // Partner deals lists Evaluating (2) before Introduced (1).
        Assert.Equal(910005, Fixtures.Lookups().FirstStageOf(900002));
        Assert.Equal("Evaluating", Fixtures.Lookups().NameOf(LookupKinds.Stages, 910006));
    }

    private static string LinksOf(string record) => System.Text.Json.Nodes.JsonNode.Parse(record)!["LINKS"]!.ToJsonString();
}
