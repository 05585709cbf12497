using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>
/// The only ways to move an opportunity or project between pipelines and stages (<c>PUT /{C}/{id}/Pipeline</c>,
/// <c>PUT /{C}/{id}/PipelineStage</c>, <c>DELETE /{C}/{id}/Pipeline</c>), and an opportunity's state
/// (<c>PUT /Opportunities/{id}/StateChange</c>). The caller holds the store lock and has found the record.
/// </summary>
internal sealed class PipelineEndpoints(FakeInstance store, RecordWriter writer, CollectionSchema schema, JsonObject record)
{
    private static readonly Field PipelineId = new("PIPELINE_ID", FieldType.Integer) { Required = true, References = "Pipelines" };
    private static readonly Field StageId = new("STAGE_ID", FieldType.Integer) { Required = true, References = "PipelineStages" };
    private static readonly Field State = Schemas.OpportunityStateReasons.Fields["FOR_OPPORTUNITY_STATE"] with { Required = true };
    private static readonly Field ReasonId = new("STATE_REASON_ID", FieldType.Integer) { References = "OpportunityStateReasons" };
    private static readonly Field Reason = new("STATE_REASON", FieldType.Text);
    private static readonly Field Changed = new("DATE_CHANGED_UTC", FieldType.DateTime);

    private long Id => JsonFacts.AsLong(record[schema.IdField])!.Value;

    /// <summary><c>{"PIPELINE_ID": n, "PIPELINE_STAGE_CHANGE": {"STAGE_ID": n}}</c>: the pipeline must be for this kind of record, the stage in it.</summary>
    public JsonObject SetPipeline(JsonObject body)
    {
        const string Where = "PUT …/Pipeline";
        OnlyKeys(body, Where, "PIPELINE_ID", "PIPELINE_STAGE_CHANGE");
        var pipelineId = (long)writer.Scalar(PipelineId, body["PIPELINE_ID"], Where)!;
        var flag = schema == Schemas.Opportunities ? "FOR_OPPORTUNITIES" : "FOR_PROJECTS";
        if (store.Get("Pipelines", pipelineId)![flag]?.GetValue<bool>() != true)
        {
            throw Refuse.BadRequest($"Pipeline {pipelineId} is not a pipeline for {schema.Name} ({flag} is false).");
        }

        var change = body["PIPELINE_STAGE_CHANGE"] as JsonObject
            ?? throw Refuse.BadRequest("PIPELINE_STAGE_CHANGE {\"STAGE_ID\": n} is required: the stage to enter in the new pipeline.");
        OnlyKeys(change, "PIPELINE_STAGE_CHANGE", "STAGE_ID", "ACTIVITYSET_ASSIGNMENT");
        return Move(pipelineId, StageIn(pipelineId, change["STAGE_ID"]));
    }

    /// <summary><c>{"STAGE_ID": n}</c>, or the v3.1 <c>{"PIPELINE_ID"?, "PIPELINE_STAGE_CHANGE": {"STAGE_ID": n}}</c>: a stage of the current pipeline.</summary>
    public JsonObject SetStage(JsonObject body)
    {
        OnlyKeys(body, "PUT …/PipelineStage", "STAGE_ID", "ACTIVITYSET_ASSIGNMENT", "PIPELINE_ID", "PIPELINE_STAGE_CHANGE");
        var current = JsonFacts.AsLong(record["PIPELINE_ID"])
            ?? throw Refuse.BadRequest($"{schema.ObjectName} {Id} is in no pipeline; set one with PUT /{schema.Name}/{Id}/Pipeline first.");
        if (body["PIPELINE_ID"] is { } sent && !JsonFacts.Same(sent, JsonValue.Create(current)))
        {
            throw Refuse.BadRequest($"PIPELINE_ID {sent.ToJsonString()} is not the pipeline of {schema.ObjectName} {Id}; change pipelines with PUT /{schema.Name}/{Id}/Pipeline.");
        }

        var stage = body["STAGE_ID"] ?? (body["PIPELINE_STAGE_CHANGE"] as JsonObject)?["STAGE_ID"];
        return Move(current, StageIn(current, stage));
    }

    public JsonObject ClearPipeline() => Move(null, null);

    /// <summary>Sets OPPORTUNITY_STATE and returns the state model; the change is added to StateHistory.</summary>
    public JsonObject ChangeState(JsonObject body, DateTimeOffset now)
    {
        const string Where = "PUT …/StateChange";
        OnlyKeys(body, Where, "OPPORTUNITY_ID", "DATE_CHANGED_UTC", "FOR_OPPORTUNITY_STATE", "STATE_REASON_ID", "STATE_REASON");
        if (body["OPPORTUNITY_ID"] is { } sent && !JsonFacts.Same(sent, JsonValue.Create(Id)))
        {
            throw Refuse.BadRequest($"OPPORTUNITY_ID {sent.ToJsonString()} in the body does not match the opportunity {Id} in the URL.");
        }

        var state = (string)writer.Scalar(State, body["FOR_OPPORTUNITY_STATE"], Where)!;
        var reasonId = writer.Scalar(ReasonId, body["STATE_REASON_ID"], Where);
        if (reasonId is not null &&
            JsonFacts.AsString(store.Get(Schemas.OpportunityStateReasons.Name, (long)reasonId)!["FOR_OPPORTUNITY_STATE"]) is { } reasonState &&
            !reasonState.Equals(state, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse.BadRequest($"STATE_REASON_ID {reasonId} is a reason for {reasonState}, not for {state}.");
        }

        var model = new JsonObject
        {
            ["OPPORTUNITY_ID"] = Id,
            ["DATE_CHANGED_UTC"] = writer.Scalar(Changed, body["DATE_CHANGED_UTC"], Where) ?? Dates.Format(now),
            ["FOR_OPPORTUNITY_STATE"] = state,
            ["STATE_REASON_ID"] = reasonId,
            ["STATE_REASON"] = writer.Scalar(Reason, body["STATE_REASON"], Where),
        };
        var changed = record.DeepClone().AsObject();
        changed["OPPORTUNITY_STATE"] = state;
        writer.Save(changed);
        store.StateHistory(Id).Add(model.DeepClone().AsObject());
        return model;
    }

    private long StageIn(long pipelineId, JsonNode? stageNode)
    {
        var stageId = (long)writer.Scalar(StageId, stageNode, "the stage change")!;
        var owner = JsonFacts.AsLong(store.Get("PipelineStages", stageId)!["PIPELINE_ID"]);
        return owner == pipelineId
            ? stageId
            : throw Refuse.BadRequest($"STAGE_ID {stageId} is not a stage of pipeline {pipelineId}.");
    }

    private JsonObject Move(long? pipelineId, long? stageId)
    {
        var changed = record.DeepClone().AsObject();
        changed["PIPELINE_ID"] = pipelineId;
        changed["STAGE_ID"] = stageId;
        return writer.Save(changed);
    }

    private static void OnlyKeys(JsonObject body, string where, params string[] allowed)
    {
        if (body.Select(p => p.Key).FirstOrDefault(k => !allowed.Contains(k)) is { } unknown)
        {
            throw Refuse.BadRequest($"'{unknown}' is not accepted by {where}; it takes {string.Join(", ", allowed)}.");
        }
    }
}
