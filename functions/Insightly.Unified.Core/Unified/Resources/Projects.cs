using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>
/// CRM projects: Insightly's Projects; pipeline and stage change through <c>/Pipeline</c> and <c>/PipelineStage</c>,
/// contacts and accounts through <c>/Links</c>. Statuses are spelt as v3.x answers hold them until the account's own
/// records show another spelling.
/// </summary>
public static class Projects
{
    public const string Route = CrmResource.CrmRoutePrefix + "projects";

    public static readonly CrmResource Resource = new("projects", "project", "Projects", "PROJECT_ID", Route)
    {
        ObjectName = "Project",
        HasCustomFields = true,
        Filters = [ListFilter.Linked("account_id", "Organisations"), ListFilter.Linked("contact_id", "Contacts"), ListFilter.Tag()],
        Fields =
        [
            Map.Text("name", "PROJECT_NAME", required: true),
            Map.LongText("description", "PROJECT_DETAILS"),
            Map.Enum("status", "STATUS",
                ("not_started", "NOT STARTED"), ("in_progress", "IN PROGRESS"), ("deferred", "DEFERRED"),
                ("cancelled", "CANCELLED"), ("abandoned", "ABANDONED"), ("completed", "COMPLETED")),
            Map.Date("start_date", "STARTED_DATE"),
            Map.Date("completion_date", "COMPLETED_DATE"),
            Map.Ref("opportunity", "OPPORTUNITY_ID", "opportunity"),
            Map.PipelineAndStage(),
            Map.Owner(),
            Map.Assignee(),
            Map.Links("contacts", "Contact", "contact"),
            Map.Links("accounts", "Organisation", "account"),
            Map.Tags(),
            Map.LastActivity(),
        ],
    };
}
