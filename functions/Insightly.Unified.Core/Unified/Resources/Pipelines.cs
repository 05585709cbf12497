using System.Text.Json;
using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>Pipelines, read-only, each with its stages (from the account's cached stages, not a call per pipeline).</summary>
public static class Pipelines
{
    public const string Route = CrmResource.CrmRoutePrefix + "pipelines";

    public static readonly CrmResource Resource = new("pipelines", "pipeline", "Pipelines", "PIPELINE_ID", Route)
    {
        Verbs = CrmVerbs.Read,
        HasTimestamps = false,
        Searchable = false,
        Fields =
        [
            Map.ReadOnlyText("name", "PIPELINE_NAME"),
            new ComputedMap(new UnifiedField("entities", "multi_enum", Schemas.ArrayOf(Schemas.Enum(["opportunity", "project"]))) { Options = ["opportunity", "project"] },
                ["FOR_OPPORTUNITIES", "FOR_PROJECTS"], WriteEntities),
            new StagesOfPipelineMap(),
        ],
    };

    private static void WriteEntities(Utf8JsonWriter writer, SourceRecord pipeline)
    {
        writer.WriteStartArray();
        if (InsightlyValues.Property(pipeline.Element, "FOR_OPPORTUNITIES").ValueKind == JsonValueKind.True)
        {
            writer.WriteStringValue("opportunity");
        }

        if (InsightlyValues.Property(pipeline.Element, "FOR_PROJECTS").ValueKind == JsonValueKind.True)
        {
            writer.WriteStringValue("project");
        }

        writer.WriteEndArray();
    }

    /// <summary><c>stages [{id, name, position}]</c> in their order, from the account's stages lookup.</summary>
    private sealed class StagesOfPipelineMap() : SingleFieldMap(
        new UnifiedField("stages", "stage_list", Schemas.ArrayOf(Schemas.Object(
            ("id", Schemas.Of("string")), ("name", Schemas.Of("string")), ("position", Schemas.Of("integer"))))) { IsEditable = false },
        "PIPELINE_ID")
    {
        public override LookupKinds Lookups => LookupKinds.Stages;

        protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
        {
            writer.WriteStartArray();
            if (Value(record) is { ValueKind: JsonValueKind.Number } pipelineId)
            {
                foreach (var stage in context.Lookups.StagesOf(pipelineId.GetInt64()))
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", InsightlyValues.IdText(InsightlyValues.Property(stage, "STAGE_ID")));
                    writer.WriteString("name", InsightlyValues.Text(InsightlyValues.Property(stage, "STAGE_NAME")));
                    writer.WritePropertyName("position");
                    if (InsightlyValues.Property(stage, "STAGE_ORDER") is { ValueKind: not JsonValueKind.Undefined } order)
                    {
                        order.WriteTo(writer);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }

                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
        }
    }
}
