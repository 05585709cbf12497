using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Unified.Idempotency;
using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Pipeline;

/// <summary>
/// Creates, updates and deletes. A write is the record's own call (POST, or a partial PUT with the id in the
/// body), then the follow-up calls the plan holds (pipeline, stage, state). When a follow-up fails, the error
/// says which parts were applied and which were not.
/// </summary>
public sealed class UnifiedWriter(AccountConnector connector, UnifiedReader reader)
{
    public async Task<byte[]> CreateAsync(
        CrmResource resource, IntegratedAccount account, JsonObject body, bool includeRemoteData, WriteAttempt attempt, CancellationToken cancellationToken)
    {
        var context = await reader.ContextAsync(resource, account, includeRemoteData, cancellationToken);
        var plan = RecordMapper.Plan(resource, body, WriteKind.Create, context);
        plan.MergeLinks(current: default);
        attempt.Sending();
        using var created = await connector.SendJsonAsync(account, HttpMethod.Post, plan.CreatePath ?? resource.Collection, plan.Body, cancellationToken);
        var id = InsightlyValues.ParseId(InsightlyValues.IdText(InsightlyValues.Property(created.Root, resource.IdField)))
            ?? throw new ApiException(502, ErrorCodes.UpstreamError, $"Insightly created the {resource.Entity} but did not say its id.");
        attempt.Succeeded(id);
        return await FinishAsync(resource, account, id, plan, ["fields"], created, context, attempt, cancellationToken);
    }

    public async Task<byte[]> UpdateAsync(
        CrmResource resource, IntegratedAccount account, long id, JsonObject body, bool includeRemoteData, WriteAttempt attempt, CancellationToken cancellationToken)
    {
        if (body.Count == 0)
        {
            throw ApiException.InvalidBody("Nothing to update: send the fields to change.");
        }

        var context = await reader.ContextAsync(resource, account, includeRemoteData, cancellationToken);
        var plan = RecordMapper.Plan(resource, body, WriteKind.Update, context);
        if (plan.ReplacesLinks)
        {
            // Insightly replaces LINKS whole: keep the links of the kinds this write does not name.
            using var current = await connector.GetDocumentAsync(account, $"{resource.Collection}/{id}", cancellationToken);
            plan.MergeLinks(current.Root);
        }

        if (plan.Body.Count == 0)
        {
            return await FinishAsync(resource, account, id, plan, [], null, context, attempt, cancellationToken);
        }

        plan.Body[resource.IdField] = id;
        attempt.Sending(id);
        using var updated = await connector.SendJsonAsync(account, HttpMethod.Put, resource.Collection, plan.Body, cancellationToken);
        attempt.Succeeded(id);
        return await FinishAsync(resource, account, id, plan, ["fields"], updated, context, attempt, cancellationToken);
    }

    public async Task<byte[]> DeleteAsync(CrmResource resource, IntegratedAccount account, long id, WriteAttempt attempt, CancellationToken cancellationToken)
    {
        attempt.Sending(id);
        using var _ = await connector.SendJsonAsync(account, HttpMethod.Delete, $"{resource.Collection}/{id}", null, cancellationToken);
        return Serialize(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        });
    }

    /// <summary>Runs the follow-ups in order, then answers with the record as Insightly now holds it.</summary>
    private async Task<byte[]> FinishAsync(
        CrmResource resource, IntegratedAccount account, long id, WritePlan plan, List<string> applied,
        UpstreamDocument? written, MappingContext context, WriteAttempt attempt, CancellationToken cancellationToken)
    {
        foreach (var call in plan.FollowUps)
        {
            try
            {
                attempt.Sending(id);
                using var _ = await connector.SendJsonAsync(account, call.Method, $"{resource.Collection}/{id}/{call.PathSuffix}", call.Body, cancellationToken);
                attempt.Succeeded(id);
                applied.Add(call.Part);
            }
            catch (ApiException failure) when (applied.Count > 0)
            {
                throw PartlyApplied(resource, id, applied, plan, call, failure);
            }
        }

        if (plan.FollowUps.Count == 0 && written?.Root.ValueKind == JsonValueKind.Object)
        {
            return Serialize(writer => RecordMapper.Write(writer, resource, written.Root, context));
        }

        using var final = await connector.GetDocumentAsync(account, $"{resource.Collection}/{id}", cancellationToken);
        return Serialize(writer => RecordMapper.Write(writer, resource, final.Root, context));
    }

    private static ApiException PartlyApplied(CrmResource resource, long id, List<string> applied, WritePlan plan, FollowUpCall failed, ApiException failure)
    {
        var notApplied = plan.FollowUps.SkipWhile(c => c != failed).Select(c => c.Part).ToList();
        var details = failure.Details?.DeepClone().AsObject() ?? [];
        details["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        details["applied"] = new JsonArray([.. applied.Select(p => (JsonNode?)p)]);
        details["not_applied"] = new JsonArray([.. notApplied.Select(p => (JsonNode?)p)]);
        return new ApiException(failure.StatusCode, failure.Error,
            $"{failure.Message} The {resource.Entity} {id} was saved with its {string.Join(" and ", applied)} changes; its {string.Join(" and ", notApplied)} {(notApplied.Count > 1 ? "were" : "was")} not changed.",
            details, failure)
        {
            Remote = failure.Remote,
            Headers = failure.Headers,
        };
    }

    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriterResult.Options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
