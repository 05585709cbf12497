using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class ProjectMappingTests
{
    /// <summary>A project as <c>GET /Projects/{id}</c> returns it, in the Delivery pipeline.</summary>
    private const string Record = """
        {
          "PROJECT_ID": 500001, "PROJECT_NAME": "Déploiement Ωmega — フェーズ1", "STATUS": "IN PROGRESS",
          "PROJECT_DETAILS": "Roll-out in 3 sites.", "STARTED_DATE": "2025-03-30 00:00:00", "COMPLETED_DATE": null,
          "OPPORTUNITY_ID": 400001, "CATEGORY_ID": null, "PIPELINE_ID": 900003, "STAGE_ID": 910008, "IMAGE_URL": null,
          "RESPONSIBLE_USER_ID": 1002, "VISIBLE_TEAM_ID": null, "VISIBLE_TO": "EVERYONE", "OWNER_USER_ID": 1001,
          "CREATED_USER_ID": 1001, "DATE_CREATED_UTC": "2025-03-29 23:00:00", "DATE_UPDATED_UTC": "2025-03-30 01:00:00",
          "LAST_ACTIVITY_DATE_UTC": null, "NEXT_ACTIVITY_DATE_UTC": null,
          "CUSTOMFIELDS": [{"FIELD_NAME": "Renewal_Date__c", "FIELD_VALUE": "2026-03-29 00:00:00"}],
          "TAGS": [{"TAG_NAME": "roll-out"}],
          "LINKS": [
            {"LINK_ID": 9501, "OBJECT_NAME": "Project", "OBJECT_ID": 500001, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100101, "ROLE": "Sponsor", "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9502, "OBJECT_NAME": "Project", "OBJECT_ID": 500001, "LINK_OBJECT_NAME": "Organisation", "LINK_OBJECT_ID": 200001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9503, "OBJECT_NAME": "Project", "OBJECT_ID": 500001, "LINK_OBJECT_NAME": "Opportunity", "LINK_OBJECT_ID": 400001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null}
          ]
        }
        """;

    private const string Unified = """
        {
          "id": "500001",
          "created_at": "2025-03-29T23:00:00Z",
          "updated_at": "2025-03-30T01:00:00Z",
          "name": "Déploiement Ωmega — フェーズ1",
          "description": "Roll-out in 3 sites.",
          "status": "in_progress",
          "start_date": "2025-03-30",
          "completion_date": null,
          "opportunity": {"id": "400001"},
          "pipeline": {"id": "900003", "name": "Delivery"},
          "stage": {"id": "910008", "name": "Build"},
          "owner": {"id": "1001"},
          "assignee": {"id": "1002"},
          "contacts": [{"id": "100101"}],
          "accounts": [{"id": "200001"}],
          "tags": [{"name": "roll-out"}],
          "last_activity_at": null,
          "custom_fields": {"Renewal_Date__c": "2026-03-29"}
        }
        """;

    [Fact]
    public void A_full_project_maps_to_exactly_the_unified_project_with_pipeline_and_stage_named()
    {
        var unified = Read(Projects.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal(Unified, unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_project_has_no_remote_data_property()
    {
        Equal(Unified, Read(Projects.Resource, Record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void A_project_without_pipeline_or_sub_collections_maps_to_nulls_and_empty_lists()
    {
        Equal("""
            {"id": "500002", "created_at": null, "updated_at": null, "name": "Kierkegård", "description": null, "status": null,
             "start_date": null, "completion_date": null, "opportunity": null, "pipeline": null, "stage": null, "owner": null,
             "assignee": null, "contacts": [], "accounts": [], "tags": [], "last_activity_at": null, "custom_fields": {}}
            """, Read(Projects.Resource, """{"PROJECT_ID": 500002, "PROJECT_NAME": "Kierkegård", "PIPELINE_ID": null}""", Fixtures.Context(includeRemoteData: false)));
    }

    [Theory]
    [InlineData("NOT STARTED", "not_started")]
    [InlineData("IN PROGRESS", "in_progress")]
    [InlineData("Deferred", "deferred")]
    [InlineData("CANCELLED", "cancelled")]
    [InlineData("ABANDONED", "abandoned")]
    [InlineData("COMPLETED", "completed")]
    public void Every_project_status_reads_as_the_contract_value(string status, string expected)
    {
        Assert.Equal(expected, Read(Projects.Resource, $$"""{"PROJECT_ID": 1, "STATUS": "{{status}}"}""")["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not_started", "NOT STARTED")]
    [InlineData("in_progress", "IN PROGRESS")]
    [InlineData("deferred", "DEFERRED")]
    [InlineData("cancelled", "CANCELLED")]
    [InlineData("abandoned", "ABANDONED")]
    [InlineData("completed", "COMPLETED")]
    public void Every_project_status_writes_as_Insightly_s_value_spelt_as_v3_answers_hold_it_until_the_account_shows_its_own(string status, string expected)
    {
        Equal($$"""{"STATUS": "{{expected}}"}""", Update(Projects.Resource, $$"""{"status": "{{status}}"}""").Body);
    }

    [Fact]
    public void A_project_status_outside_the_contract_is_refused()
    {
        Assert.Equal(["status"], RefusedFields(() => Update(Projects.Resource, """{"status": "waiting"}""")));
    }

    [Fact]
    public void A_full_create_body_maps_to_the_Insightly_project_then_its_pipeline_call_at_the_first_stage()
    {
        var plan = Create(Projects.Resource, """
            {
              "name": "Ångström upgrade", "description": "Phase 2.", "status": "not_started",
              "start_date": "2025-10-26", "completion_date": null, "opportunity": {"id": "400001"},
              "pipeline": {"id": "900003"}, "owner": {"id": "1001"}, "assignee": {"id": "1002"},
              "contacts": [{"id": "100101"}], "accounts": [{"id": "200001"}, {"id": "200002"}],
              "tags": [{"name": "upgrade"}, {"name": "🚀"}],
              "custom_fields": {"Segment__c": "Enterprise"},
              "remote_data": {"VISIBLE_TO": "OWNER"}
            }
            """);

        Equal("""
            {
              "PROJECT_NAME": "Ångström upgrade", "PROJECT_DETAILS": "Phase 2.", "STATUS": "NOT STARTED",
              "STARTED_DATE": "2025-10-26 00:00:00", "COMPLETED_DATE": null, "OPPORTUNITY_ID": 400001,
              "OWNER_USER_ID": 1001, "RESPONSIBLE_USER_ID": 1002,
              "TAGS": [{"TAG_NAME": "upgrade"}, {"TAG_NAME": "🚀"}],
              "CUSTOMFIELDS": [{"FIELD_NAME": "Segment__c", "FIELD_VALUE": "Enterprise"}],
              "VISIBLE_TO": "OWNER"
            }
            """, plan.Body);
        // Delivery's stages are listed Handover, Kick-off, Build: the first by STAGE_ORDER is Kick-off.
        Equal("""
            [
              {"part": "link contact 100101", "method": "POST", "path": "Links",
               "body": {"OBJECT_NAME": "Project", "OBJECT_ID": 500009, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100101}},
              {"part": "link account 200001", "method": "POST", "path": "Links",
               "body": {"OBJECT_NAME": "Project", "OBJECT_ID": 500009, "LINK_OBJECT_NAME": "Organisation", "LINK_OBJECT_ID": 200001}},
              {"part": "link account 200002", "method": "POST", "path": "Links",
               "body": {"OBJECT_NAME": "Project", "OBJECT_ID": 500009, "LINK_OBJECT_NAME": "Organisation", "LINK_OBJECT_ID": 200002}},
              {"part": "pipeline", "method": "PUT", "path": "Pipeline", "body": {"PIPELINE_ID": 900003, "PIPELINE_STAGE_CHANGE": {"STAGE_ID": 910007}}}
            ]
            """, Calls(Projects.Resource, plan, 500009));
    }

    [Fact]
    public void Pipeline_and_stage_changes_are_calls_not_columns()
    {
        Equal("""[{"part": "stage", "method": "PUT", "path": "PipelineStage", "body": {"STAGE_ID": 910009}}]""",
            FollowUps(Update(Projects.Resource, """{"stage": {"id": "910009"}}""")));
        Equal("""[{"part": "pipeline", "method": "DELETE", "path": "Pipeline", "body": null}]""",
            FollowUps(Update(Projects.Resource, """{"pipeline": null}""")));
        Assert.Empty(Update(Projects.Resource, """{"pipeline": {"id": "900003"}, "stage": {"id": "910009"}}""").Body);
    }

    [Fact]
    public void Projects_have_no_opportunity_status_or_leads()
    {
        Assert.Equal(["leads", "amount"], RefusedFields(() => Update(Projects.Resource, """{"leads": [], "amount": 5}""")));
    }

    [Fact]
    public void Reading_a_project_and_patching_it_back_writes_its_own_columns_and_the_same_pipeline()
    {
        var plan = AssertRoundTrip(Projects.Resource, Record);

        Equal("""[{"part": "pipeline", "method": "PUT", "path": "Pipeline", "body": {"PIPELINE_ID": 900003, "PIPELINE_STAGE_CHANGE": {"STAGE_ID": 910008}}}]""",
            FollowUps(plan));
    }
}
