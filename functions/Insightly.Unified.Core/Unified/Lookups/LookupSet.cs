using System.Text.Json;
using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Lookups;

/// <summary>
/// One account's pipelines, stages, lead statuses and lead sources, as last read (records cloned out of the
/// response, so they outlive it): what names references such as <c>stage {id, name}</c> without a call per record.
/// </summary>
public sealed class LookupSet
{
    public static readonly LookupSet Empty = new(new Dictionary<LookupKinds, IReadOnlyList<JsonElement>>());

    private readonly Dictionary<LookupKinds, Dictionary<long, JsonElement>> byId;

    public LookupSet(IReadOnlyDictionary<LookupKinds, IReadOnlyList<JsonElement>> records)
    {
        Records = records;
        byId = records.ToDictionary(
            pair => pair.Key,
            pair => pair.Value
                .Select(record => (Id: InsightlyValues.Property(record, IdColumn(pair.Key)), Record: record))
                .Where(r => r.Id.ValueKind == JsonValueKind.Number)
                .GroupBy(r => r.Id.GetInt64())
                .ToDictionary(g => g.Key, g => g.First().Record));
    }

    /// <summary>The records of each kind that was loaded.</summary>
    public IReadOnlyDictionary<LookupKinds, IReadOnlyList<JsonElement>> Records { get; }

    public string? NameOf(LookupKinds kind, long id) =>
        byId.TryGetValue(kind, out var records) && records.TryGetValue(id, out var record)
            ? InsightlyValues.Text(InsightlyValues.Property(record, NameColumn(kind)))
            : null;

    /// <summary>A pipeline's stages in their order.</summary>
    public IEnumerable<JsonElement> StagesOf(long pipelineId) =>
        (Records.TryGetValue(LookupKinds.Stages, out var stages) ? stages : [])
            .Where(stage => InsightlyValues.Property(stage, "PIPELINE_ID") is { ValueKind: JsonValueKind.Number } owner && owner.GetInt64() == pipelineId)
            .OrderBy(stage => InsightlyValues.Property(stage, "STAGE_ORDER") is { ValueKind: JsonValueKind.Number } order ? order.GetInt64() : long.MaxValue);

    /// <summary>The stage a record enters when moved into a pipeline without naming one.</summary>
    public long? FirstStageOf(long pipelineId) =>
        StagesOf(pipelineId).Select(stage => InsightlyValues.Property(stage, "STAGE_ID")).Where(id => id.ValueKind == JsonValueKind.Number)
            .Select(id => (long?)id.GetInt64()).FirstOrDefault();

    public static string Path(LookupKinds kind) => kind switch
    {
        LookupKinds.Pipelines => "Pipelines",
        LookupKinds.Stages => "PipelineStages",
        // Converted statuses are hidden unless asked for, yet converted leads point at them.
        LookupKinds.LeadStatuses => "LeadStatuses?include_converted=true",
        LookupKinds.LeadSources => "LeadSources",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a single lookup kind."),
    };

    private static string IdColumn(LookupKinds kind) => kind switch
    {
        LookupKinds.Pipelines => "PIPELINE_ID",
        LookupKinds.Stages => "STAGE_ID",
        LookupKinds.LeadStatuses => "LEAD_STATUS_ID",
        LookupKinds.LeadSources => "LEAD_SOURCE_ID",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a single lookup kind."),
    };

    private static string NameColumn(LookupKinds kind) => kind switch
    {
        LookupKinds.Pipelines => "PIPELINE_NAME",
        LookupKinds.Stages => "STAGE_NAME",
        LookupKinds.LeadStatuses => "LEAD_STATUS",
        LookupKinds.LeadSources => "LEAD_SOURCE",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a single lookup kind."),
    };
}
