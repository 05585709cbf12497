using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>
/// CRM tasks: Insightly's Tasks (no tags; linked to records through OPPORTUNITY_ID, PROJECT_ID and LINKS, whose
/// changes go through <c>/Links</c>), listed by record through its <c>/{Parent}/{id}/Tasks</c>. Statuses are spelt as
/// v3.x answers hold them until the account's own records show another spelling.
/// </summary>
public static class Tasks
{
    public const string Route = CrmResource.CrmRoutePrefix + "tasks";

    public static readonly CrmResource Resource = new("tasks", "task", "Tasks", "TASK_ID", Route)
    {
        ObjectName = "Task",
        HasCustomFields = true,
        // A parent's tasks take no documented updated_after_utc: records updated earlier are dropped here.
        Filters = ListFilter.Parents(updatedAfterUpstream: false),
        Fields =
        [
            Map.Text("subject", "TITLE", required: true),
            Map.LongText("content", "DETAILS"),
            Map.Enum("status", "STATUS",
                ("not_started", "NOT STARTED"), ("in_progress", "IN PROGRESS"), ("completed", "COMPLETED"), ("deferred", "DEFERRED"), ("waiting", "WAITING")),
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
