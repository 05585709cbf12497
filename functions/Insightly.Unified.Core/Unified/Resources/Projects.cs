using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>CRM projects: Insightly's Projects; pipeline and stage change through <c>/Pipeline</c> and <c>/PipelineStage</c>.</summary>
public static class Projects
{
    public const string Route = CrmResource.CrmRoutePrefix + "projects";

    public static readonly CrmResource Resource = new("projects", "project", "Projects", "PROJECT_ID", Route)
    {
        HasCustomFields = true,
        Filters = [ListFilter.Tag()],
        Fields =
        [
            Map.Text("name", "PROJECT_NAME", required: true),
            Map.LongText("description", "PROJECT_DETAILS"),
            Map.Enum("status", "STATUS",
                ("not_started", "Not Started"), ("in_progress", "In Progress"), ("deferred", "Deferred"),
                ("cancelled", "Cancelled"), ("abandoned", "Abandoned"), ("completed", "Completed")),
            Map.Timestamp("started_at", "STARTED_DATE"),
            Map.Timestamp("completed_at", "COMPLETED_DATE"),
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
