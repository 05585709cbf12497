using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.Unified.Lookups;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// An opportunity's or project's <c>pipeline</c> and <c>stage</c>. Insightly changes them only through
/// <c>PUT …/{id}/Pipeline</c> (a new pipeline and the stage to enter), <c>PUT …/{id}/PipelineStage</c> and
/// <c>DELETE …/{id}/Pipeline</c>, so a write becomes one of those calls after the record itself is written.
/// </summary>
public sealed class PipelineStageMap : FieldMap
{
    public override IReadOnlyList<UnifiedField> Fields { get; } =
    [
        new("pipeline", "reference", Schemas.Reference(withName: true)) { ReferenceEntity = "pipeline" },
        new("stage", "reference", Schemas.Reference(withName: true)) { ReferenceEntity = "stage" },
    ];

    public override IReadOnlyList<string> Columns { get; } = ["PIPELINE_ID", "STAGE_ID"];

    public override LookupKinds Lookups => LookupKinds.Pipelines | LookupKinds.Stages;

    private readonly RecordColumn pipelineColumn = new("PIPELINE_ID");
    private readonly RecordColumn stageColumn = new("STAGE_ID");

    public override void Read(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        writer.WritePropertyName("pipeline");
        RefMap.WriteReference(writer, record[pipelineColumn], LookupKinds.Pipelines, context.Lookups);
        writer.WritePropertyName("stage");
        RefMap.WriteReference(writer, record[stageColumn], LookupKinds.Stages, context.Lookups);
    }

    public override void Write(JsonObject body, WritePlan plan, MappingContext context)
    {
        var stageSent = body.TryGetPropertyValue("stage", out var stageNode);
        var stageId = stageSent && stageNode is not null ? RefMap.ReferencedId("stage", stageNode, plan, allowName: true) : null;
        if (body.TryGetPropertyValue("pipeline", out var pipelineNode))
        {
            if (pipelineNode is null)
            {
                if (stageSent && stageNode is not null)
                {
                    plan.Error("stage", "A stage needs a pipeline: send 'pipeline' too, or clear both with \"pipeline\": null.");
                }
                else if (plan.Kind == WriteKind.Update)
                {
                    plan.FollowUps.Add(new FollowUpCall("pipeline", HttpMethod.Delete, "Pipeline", null));
                }

                return;
            }

            if (RefMap.ReferencedId("pipeline", pipelineNode, plan, allowName: true) is not { } pipelineId)
            {
                return;
            }

            var entered = stageId ?? context.Lookups.FirstStageOf(pipelineId);
            if (entered is null)
            {
                plan.Error("pipeline", $"Pipeline {pipelineId} has no stages this account can see; send 'stage' too.");
                return;
            }

            plan.FollowUps.Add(new FollowUpCall("pipeline", HttpMethod.Put, "Pipeline", new JsonObject
            {
                ["PIPELINE_ID"] = pipelineId,
                ["PIPELINE_STAGE_CHANGE"] = new JsonObject { ["STAGE_ID"] = entered },
            }));
            return;
        }

        if (!stageSent)
        {
            return;
        }

        if (stageNode is null)
        {
            plan.Error("stage", "The stage cannot be cleared on its own; clear the pipeline with \"pipeline\": null.");
        }
        else if (plan.Kind == WriteKind.Create)
        {
            plan.Error("stage", "A new record has no pipeline yet: send 'pipeline' with the stage.");
        }
        else if (stageId is { } id)
        {
            plan.FollowUps.Add(new FollowUpCall("stage", HttpMethod.Put, "PipelineStage", new JsonObject { ["STAGE_ID"] = id }));
        }
    }
}

/// <summary>
/// An opportunity's <c>status</c> (<c>OPPORTUNITY_STATE</c>). Insightly records state changes with
/// <c>PUT /Opportunities/{id}/StateChange</c>, so a write becomes that call after the record is written; a new
/// record starts open, so creating one as open needs no call.
/// </summary>
public sealed class OpportunityStateMap(EnumMap states) : FieldMap
{
    public override IReadOnlyList<UnifiedField> Fields => states.Fields;

    public override IReadOnlyList<string> Columns => states.Columns;

    public override void Read(Utf8JsonWriter writer, SourceRecord record, MappingContext context) => states.Read(writer, record, context);

    public override void Write(JsonObject body, WritePlan plan, MappingContext context)
    {
        var value = body["status"];
        if (value is null)
        {
            plan.Error("status", "An opportunity's status cannot be cleared; send one of " + string.Join(", ", states.Field.Options) + ".");
            return;
        }

        if (states.InsightlyValue("status", value, plan, context) is { } state && !(plan.Kind == WriteKind.Create && value.GetValue<string>() == "open"))
        {
            plan.FollowUps.Add(new FollowUpCall("status", HttpMethod.Put, "StateChange", new JsonObject { ["FOR_OPPORTUNITY_STATE"] = state }));
        }
    }
}

/// <summary>
/// A note's parent, given only when creating it: exactly one of <c>contact</c>, <c>account</c>, <c>lead</c>,
/// <c>opportunity</c> or <c>project</c>. Insightly creates notes only under their parent
/// (<c>POST /Contacts/{id}/Notes</c>), which links the note to it.
/// </summary>
public sealed class NoteParentMap : FieldMap
{
    private static readonly (string Field, string Collection)[] Parents =
        [("contact", "Contacts"), ("account", "Organisations"), ("lead", "Leads"), ("opportunity", "Opportunities"), ("project", "Projects")];

    public override IReadOnlyList<UnifiedField> Fields { get; } =
        [.. Parents.Select(p => new UnifiedField(p.Field, "reference", Schemas.Reference(withName: false)) { IsCreateOnly = true, ReferenceEntity = p.Field })];

    public override IReadOnlyList<string> Columns { get; } = [];

    public override bool TakesPartInEveryCreate => true;

    /// <summary>Exactly one parent, given as an object (a parent sent as null counts as not given, as in <see cref="Write"/>).</summary>
    public override JsonObject? CreateBodyRule => new()
    {
        ["oneOf"] = new JsonArray([.. Parents.Select(p => (JsonNode?)new JsonObject
        {
            ["required"] = new JsonArray(p.Field),
            ["properties"] = new JsonObject { [p.Field] = new JsonObject { ["type"] = "object" } },
        })]),
    };

    public override void Read(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        // Write-only: the parent shows in the note's links (contacts, accounts, …).
    }

    public override void Write(JsonObject body, WritePlan plan, MappingContext context)
    {
        var given = Parents.Where(p => body[p.Field] is not null).ToList();
        if (given.Count != 1)
        {
            plan.Error("parent", $"A note needs exactly one parent: one of {string.Join(", ", Parents.Select(p => p.Field))}, like \"contact\": {{\"id\": \"101\"}}.");
            return;
        }

        var (field, collection) = given[0];
        if (RefMap.ReferencedId(field, body[field], plan) is { } id)
        {
            plan.CreatePath = $"{collection}/{id}/Notes";
        }
    }
}
