using Insightly.Unified.Unified.Resources;
using static Insightly.Unified.UnitTests.Unified.MappingHarness;

namespace Insightly.Unified.UnitTests.Unified;

public sealed class TaskMappingTests
{
    /// <summary>A task as <c>GET /Tasks/{id}</c> returns it (no TAGS: tasks have none), its status upper case.</summary>
    private const string Record = """
        {
          "TASK_ID": 600001, "TITLE": "Envoyer le devis à François", "CATEGORY_ID": null,
          "DUE_DATE": "2025-03-30 00:00:00", "COMPLETED_DATE_UTC": "2025-10-26 01:00:00", "COMPLETED": true,
          "DETAILS": "Inclure les options — 🍷", "STATUS": "COMPLETED", "PRIORITY": 3, "PERCENT_COMPLETE": 100,
          "START_DATE": "2025-03-09 00:00:00", "MILESTONE_ID": null, "RESPONSIBLE_USER_ID": 1002, "OWNER_USER_ID": 1001,
          "DATE_CREATED_UTC": "2025-03-09 07:00:00", "DATE_UPDATED_UTC": "2025-11-02 06:00:00", "EMAIL_ID": null,
          "PROJECT_ID": null, "REMINDER_DATE_UTC": null, "REMINDER_SENT": false, "OWNER_VISIBLE": true, "STAGE_ID": null,
          "ASSIGNED_BY_USER_ID": 1001, "PARENT_TASK_ID": null, "RECURRENCE": null, "OPPORTUNITY_ID": 400001,
          "ASSIGNED_TEAM_ID": null, "ASSIGNED_DATE_UTC": "2025-03-09 07:00:00", "CREATED_USER_ID": 1001,
          "CUSTOMFIELDS": [{"FIELD_NAME": "Is_Vip__c", "FIELD_VALUE": true}],
          "LINKS": [
            {"LINK_ID": 9401, "OBJECT_NAME": "Task", "OBJECT_ID": 600001, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100101, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9402, "OBJECT_NAME": "Task", "OBJECT_ID": 600001, "LINK_OBJECT_NAME": "Organisation", "LINK_OBJECT_ID": 200001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9403, "OBJECT_NAME": "Task", "OBJECT_ID": 600001, "LINK_OBJECT_NAME": "Lead", "LINK_OBJECT_ID": 300001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null},
            {"LINK_ID": 9404, "OBJECT_NAME": "Task", "OBJECT_ID": 600001, "LINK_OBJECT_NAME": "Opportunity", "LINK_OBJECT_ID": 400001, "ROLE": null, "DETAILS": null, "RELATIONSHIP_ID": null, "IS_FORWARD": null}
          ]
        }
        """;

    private const string Unified = """
        {
          "id": "600001",
          "created_at": "2025-03-09T07:00:00Z",
          "updated_at": "2025-11-02T06:00:00Z",
          "subject": "Envoyer le devis à François",
          "content": "Inclure les options — 🍷",
          "status": "completed",
          "is_completed": true,
          "due_date": "2025-03-30",
          "start_date": "2025-03-09",
          "completed_at": "2025-10-26T01:00:00Z",
          "priority": "high",
          "owner": {"id": "1001"},
          "assignee": {"id": "1002"},
          "opportunity": {"id": "400001"},
          "project": null,
          "contacts": [{"id": "100101"}],
          "accounts": [{"id": "200001"}],
          "leads": [{"id": "300001"}],
          "custom_fields": {"Is_Vip__c": true}
        }
        """;

    [Fact]
    public void A_full_task_maps_to_exactly_the_unified_task()
    {
        var unified = Read(Tasks.Resource, Record);

        var remote = unified["remote_data"];
        unified.Remove("remote_data");
        Equal(Unified, unified);
        Equal(Record, remote);
    }

    [Fact]
    public void Without_remote_data_the_task_has_no_remote_data_property()
    {
        Equal(Unified, Read(Tasks.Resource, Record, Fixtures.Context(includeRemoteData: false)));
    }

    [Theory]
    [InlineData("NOT STARTED", "not_started")]
    [InlineData("Not Started", "not_started")]
    [InlineData("IN PROGRESS", "in_progress")]
    [InlineData("COMPLETED", "completed")]
    [InlineData("DEFERRED", "deferred")]
    [InlineData("Waiting", "waiting")]
    [InlineData("BLOCKED", null)]
    [InlineData("", null)]
    public void Every_task_status_reads_as_the_contract_value_whatever_its_case(string status, string? expected)
    {
        Assert.Equal(expected, Read(Tasks.Resource, $$"""{"TASK_ID": 1, "STATUS": "{{status}}"}""")["status"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("1", "low")]
    [InlineData("2", "medium")]
    [InlineData("3", "high")]
    [InlineData("4", null)]
    [InlineData("null", null)]
    [InlineData("\"2\"", null)]
    public void Task_priority_reads_from_its_number(string priority, string? expected)
    {
        Assert.Equal(expected, Read(Tasks.Resource, $$"""{"TASK_ID": 1, "PRIORITY": {{priority}}}""")["priority"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("not_started", "NOT STARTED")]
    [InlineData("in_progress", "IN PROGRESS")]
    [InlineData("completed", "COMPLETED")]
    [InlineData("deferred", "DEFERRED")]
    [InlineData("waiting", "WAITING")]
    public void Every_task_status_writes_as_Insightly_s_value_spelt_as_v3_answers_hold_it_until_the_account_shows_its_own(string status, string expected)
    {
        Equal($$"""{"STATUS": "{{expected}}"}""", Update(Tasks.Resource, $$"""{"status": "{{status}}"}""").Body);
    }

    [Theory]
    [InlineData("low", 1)]
    [InlineData("medium", 2)]
    [InlineData("high", 3)]
    public void Every_task_priority_writes_as_its_number(string priority, int expected)
    {
        Equal($$"""{"PRIORITY": {{expected}}}""", Update(Tasks.Resource, $$"""{"priority": "{{priority}}"}""").Body);
    }

    [Fact]
    public void Status_and_priority_outside_the_contract_are_refused_and_null_clears_them()
    {
        Assert.Equal(["status", "priority"], RefusedFields(() => Update(Tasks.Resource, """{"status": "In Progress", "priority": 3}""")));
        Assert.Equal(["priority"], RefusedFields(() => Update(Tasks.Resource, """{"priority": "urgent"}""")));
        Equal("""{"STATUS": null, "PRIORITY": null}""", Update(Tasks.Resource, """{"status": null, "priority": null}""").Body);
    }

    [Fact]
    public void A_task_without_links_or_custom_fields_maps_to_nulls_and_empty_lists()
    {
        const string record = """
            {"TASK_ID": 600002, "TITLE": "Call back", "DUE_DATE": null, "START_DATE": "0000-00-00 00:00:00", "COMPLETED": null,
             "COMPLETED_DATE_UTC": "", "STATUS": null, "PRIORITY": null, "OPPORTUNITY_ID": null, "PROJECT_ID": null}
            """;

        Equal("""
            {"id": "600002", "created_at": null, "updated_at": null, "subject": "Call back", "content": null, "status": null,
             "is_completed": null, "due_date": null, "start_date": null, "completed_at": null, "priority": null, "owner": null,
             "assignee": null, "opportunity": null, "project": null, "contacts": [], "accounts": [], "leads": [], "custom_fields": {}}
            """, Read(Tasks.Resource, record, Fixtures.Context(includeRemoteData: false)));
    }

    [Fact]
    public void A_full_create_body_maps_to_exactly_the_Insightly_task()
    {
        var plan = Create(Tasks.Resource, """
            {
              "subject": "Follow up with 健", "content": "Bring the samples.", "status": "in_progress", "is_completed": false,
              "due_date": "2025-10-26", "start_date": "2025-03-30", "completed_at": null, "priority": "medium",
              "owner": {"id": "1001"}, "assignee": {"id": "1003"}, "opportunity": null, "project": {"id": "500001"},
              "contacts": [{"id": "100101"}], "accounts": [{"id": "200001"}], "leads": [],
              "custom_fields": {"Score__c": 7},
              "remote_data": {"PERCENT_COMPLETE": 50, "REMINDER_DATE_UTC": "2025-10-25 08:00:00"}
            }
            """);

        Equal("""
            {
              "TITLE": "Follow up with 健", "DETAILS": "Bring the samples.", "STATUS": "IN PROGRESS", "COMPLETED": false,
              "DUE_DATE": "2025-10-26 00:00:00", "START_DATE": "2025-03-30 00:00:00", "COMPLETED_DATE_UTC": null, "PRIORITY": 2,
              "OWNER_USER_ID": 1001, "RESPONSIBLE_USER_ID": 1003, "OPPORTUNITY_ID": null, "PROJECT_ID": 500001,
              "CUSTOMFIELDS": [{"FIELD_NAME": "Score__c", "FIELD_VALUE": 7}],
              "PERCENT_COMPLETE": 50, "REMINDER_DATE_UTC": "2025-10-25 08:00:00"
            }
            """, plan.Body);
        Equal("""
            [
              {"part": "link contact 100101", "method": "POST", "path": "Links",
               "body": {"OBJECT_NAME": "Task", "OBJECT_ID": 600009, "LINK_OBJECT_NAME": "Contact", "LINK_OBJECT_ID": 100101}},
              {"part": "link account 200001", "method": "POST", "path": "Links",
               "body": {"OBJECT_NAME": "Task", "OBJECT_ID": 600009, "LINK_OBJECT_NAME": "Organisation", "LINK_OBJECT_ID": 200001}}
            ]
            """, Calls(Tasks.Resource, plan, 600009));
    }

    [Fact]
    public void Creating_a_task_needs_a_subject_and_tasks_have_no_tags()
    {
        Assert.Equal(["tags", "subject"], RefusedFields(() => Create(Tasks.Resource, """{"tags": [{"name": "x"}]}""")));
    }

    [Fact]
    public void Patching_one_kind_of_link_removes_only_links_of_that_kind()
    {
        var plan = Update(Tasks.Resource, """{"leads": [], "contacts": [{"id": "100101"}]}""");

        Equal("""[{"part": "unlink lead 300001", "method": "DELETE", "path": "Links/9403", "body": null}]""",
            Calls(Tasks.Resource, plan, 600001, System.Text.Json.Nodes.JsonNode.Parse(Record)!["LINKS"]!.ToJsonString()));
    }

    [Fact]
    public void Links_must_be_lists_of_references()
    {
        Assert.Equal(["contacts", "accounts"], RefusedFields(() => Update(Tasks.Resource, """{"contacts": {"id": "100101"}, "accounts": ["200001"]}""")));
    }

    [Fact]
    public void Reading_a_task_and_patching_it_back_writes_its_own_columns()
    {
        AssertRoundTrip(Tasks.Resource, Record);
    }
}
