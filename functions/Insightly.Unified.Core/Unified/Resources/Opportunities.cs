using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>
/// CRM opportunities: Insightly's Opportunities. Pipeline, stage and status change through Insightly's
/// <c>/Pipeline</c>, <c>/PipelineStage</c> and <c>/StateChange</c> calls after the record is written, and contacts
/// through <c>/Links</c>. States are spelt as v3.x answers hold them (insightly-api.md §4) until the account's own
/// records show another spelling (<see cref="ChoiceSpellings"/>).
/// </summary>
public static class Opportunities
{
    public const string Route = CrmResource.CrmRoutePrefix + "opportunities";

    public static readonly CrmResource Resource = new("opportunities", "opportunity", "Opportunities", "OPPORTUNITY_ID", Route)
    {
        ObjectName = "Opportunity",
        HasCustomFields = true,
        Filters = [ListFilter.IdField("account_id", "ORGANISATION_ID"), ListFilter.Linked("contact_id", "Contacts"), ListFilter.Tag()],
        Fields =
        [
            Map.Text("name", "OPPORTUNITY_NAME", required: true),
            Map.LongText("description", "OPPORTUNITY_DETAILS"),
            new OpportunityValueMap(),
            Map.Text("currency", "BID_CURRENCY"),
            Map.Integer("probability", "PROBABILITY", min: 0, max: 100),
            Map.Date("close_date", "FORECAST_CLOSE_DATE"),
            Map.Date("actual_close_date", "ACTUAL_CLOSE_DATE"),
            Map.Owner(),
            Map.Assignee(),
            Map.Ref("account", "ORGANISATION_ID", "account"),
            Map.PipelineAndStage(),
            // After the pipeline: a record is moved to its stage before its state changes.
            new OpportunityStateMap(Map.Enum("status", "OPPORTUNITY_STATE",
                ("open", "OPEN"), ("won", "WON"), ("lost", "LOST"), ("abandoned", "ABANDONED"), ("suspended", "SUSPENDED"))),
            Map.Links("contacts", "Contact", "contact"),
            Map.Tags(),
            Map.LastActivity(),
        ],
    };
}
