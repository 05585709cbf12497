using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>
/// Pipeline stages, read-only. Insightly cannot filter stages by pipeline, and an account has few, so the list
/// comes from the account's cached stages and <c>pipeline_id</c> is matched here.
/// </summary>
public static class Stages
{
    public const string Route = CrmResource.CrmRoutePrefix + "stages";

    public static readonly CrmResource Resource = new("stages", "stage", "PipelineStages", "STAGE_ID", Route)
    {
        Verbs = CrmVerbs.Read,
        HasTimestamps = false,
        Searchable = false,
        Filters = [ListFilter.Local("pipeline_id", "PIPELINE_ID")],
        ListLookups = LookupKinds.Stages,
        ListFromLookups = lookups => lookups.Records.TryGetValue(LookupKinds.Stages, out var stages) ? stages : [],
        Fields =
        [
            Map.ReadOnlyText("name", "STAGE_NAME"),
            new NumberMap("position", "STAGE_ORDER", integer: true, editable: false),
            new RefMap("pipeline", "PIPELINE_ID", "pipeline", LookupKinds.Pipelines, editable: false),
        ],
    };
}
