using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>CRM tasks: Insightly's Tasks (no tags; linked to records through OPPORTUNITY_ID, PROJECT_ID and LINKS).</summary>
public static class Tasks
{
    public const string Route = CrmResource.CrmRoutePrefix + "tasks";

    public static readonly CrmResource Resource = new("tasks", "task", "Tasks", "TASK_ID", Route)
    {
        HasCustomFields = true,
        Filters = [ListFilter.IdField("opportunity_id", "OPPORTUNITY_ID"), ListFilter.IdField("project_id", "PROJECT_ID")],
        Fields =
        [
            Map.Text("subject", "TITLE", required: true),
            Map.LongText("content", "DETAILS"),
            Map.Enum("status", "STATUS",
                ("not_started", "Not Started"), ("in_progress", "In Progress"), ("completed", "Completed"), ("deferred", "Deferred"), ("waiting", "Waiting")),
            Map.Bool("is_completed", "COMPLETED"),
            Map.Date("due_date", "DUE_DATE"),
            Map.Date("start_date", "START_DATE"),
            Map.Timestamp("completed_at", "COMPLETED_DATE_UTC"),
            Map.Enum("priority", "PRIORITY", ("low", 1L), ("medium", 2L), ("high", 3L)),
            Map.Owner(),
            Map.Assignee(),
            Map.Ref("opportunity", "OPPORTUNITY_ID", "opportunity"),
            Map.Ref("project", "PROJECT_ID", "project"),
            Map.Links("contacts", "Contact", "contact"),
            Map.Links("accounts", "Organisation", "account"),
            Map.Links("leads", "Lead", "lead"),
        ],
    };
}
