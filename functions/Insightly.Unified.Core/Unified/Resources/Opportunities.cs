using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>
/// CRM opportunities: Insightly's Opportunities. Pipeline, stage and status change through Insightly's
/// <c>/Pipeline</c>, <c>/PipelineStage</c> and <c>/StateChange</c> calls after the record is written.
/// </summary>
public static class Opportunities
{
    public const string Route = CrmResource.CrmRoutePrefix + "opportunities";

    public static readonly CrmResource Resource = new("opportunities", "opportunity", "Opportunities", "OPPORTUNITY_ID", Route)
    {
        HasCustomFields = true,
        Filters = [ListFilter.IdField("account_id", "ORGANISATION_ID"), ListFilter.Tag()],
        Fields =
        [
            Map.Text("name", "OPPORTUNITY_NAME", required: true),
            Map.LongText("description", "OPPORTUNITY_DETAILS"),
            Map.Number("amount", "BID_AMOUNT"),
            Map.Text("currency", "BID_CURRENCY"),
            Map.Integer("probability", "PROBABILITY", min: 0, max: 100),
            Map.Date("close_date", "FORECAST_CLOSE_DATE"),
            Map.Timestamp("closed_at", "ACTUAL_CLOSE_DATE"),
            Map.Owner(),
            Map.Assignee(),
            Map.Ref("account", "ORGANISATION_ID", "account"),
            Map.PipelineAndStage(),
            // After the pipeline: a record is moved to its stage before its state changes.
            new OpportunityStateMap(Map.Enum("status", "OPPORTUNITY_STATE",
                ("open", "Open"), ("won", "Won"), ("lost", "Lost"), ("abandoned", "Abandoned"), ("suspended", "Suspended"))),
            Map.Links("contacts", "Contact", "contact"),
            Map.Tags(),
            Map.LastActivity(),
        ],
    };
}
