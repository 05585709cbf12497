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
/// body), then the calls that follow it: links added and removed through <c>/Links</c>, then the plan's pipeline,
/// stage and state calls. When a follow-up fails, the error says which parts were applied and which were not.
/// </summary>
public sealed class UnifiedWriter(AccountConnector connector, UnifiedReader reader)
{
    public async Task<byte[]> CreateAsync(
        CrmResource resource, IntegratedAccount account, JsonObject body, bool includeRemoteData, WriteAttempt attempt, CancellationToken cancellationToken)
    {
        var context = await reader.ContextAsync(resource, account, includeRemoteData, cancellationToken);
        var plan = RecordMapper.Plan(resource, body, WriteKind.Create, context);
        attempt.Sending();
        using var created = await connector.SendJsonAsync(account, HttpMethod.Post, plan.CreatePath ?? resource.Collection, plan.Body, cancellationToken);
        var id = InsightlyValues.ParseId(InsightlyValues.IdText(InsightlyValues.Property(created.Root, resource.IdField)))
            ?? throw new ApiException(502, ErrorCodes.UpstreamError, $"Insightly created the {resource.Entity} but did not say its id.");
        attempt.Succeeded(id);
        return await FinishAsync(resource, account, id, plan.Calls(resource.ObjectName!, id, currentLinks: default), ["fields"], created, context, attempt, cancellationToken);
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
        IReadOnlyList<FollowUpCall> followUps;
        if (plan.ReplacesLinks)
        {
            // Read before anything is written: which links to add and which to remove depends on those the record has.
            using var current = await connector.GetDocumentAsync(account, $"{resource.Collection}/{id}/Links", cancellationToken);
            followUps = plan.Calls(resource.ObjectName!, id, current.Root);
        }
        else
        {
            followUps = plan.FollowUps;
        }

        if (plan.Body.Count == 0)
        {
            return await FinishAsync(resource, account, id, followUps, [], null, context, attempt, cancellationToken);
        }

        plan.Body[resource.IdField] = id;
        attempt.Sending(id);
        using var updated = await connector.SendJsonAsync(account, HttpMethod.Put, resource.Collection, plan.Body, cancellationToken);
        attempt.Succeeded(id);
        return await FinishAsync(resource, account, id, followUps, ["fields"], updated, context, attempt, cancellationToken);
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
        CrmResource resource, IntegratedAccount account, long id, IReadOnlyList<FollowUpCall> followUps, List<string> applied,
        UpstreamDocument? written, MappingContext context, WriteAttempt attempt, CancellationToken cancellationToken)
    {
        foreach (var call in followUps)
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
                throw PartlyApplied(resource, id, applied, followUps, call, failure);
            }
        }

        if (followUps.Count == 0 && written?.Root.ValueKind == JsonValueKind.Object)
        {
            return Serialize(writer => RecordMapper.Write(writer, resource, written.Root, context));
        }

        using var final = await connector.GetDocumentAsync(account, $"{resource.Collection}/{id}", cancellationToken);
        return Serialize(writer => RecordMapper.Write(writer, resource, final.Root, context));
    }

    private static ApiException PartlyApplied(
        CrmResource resource, long id, List<string> applied, IReadOnlyList<FollowUpCall> followUps, FollowUpCall failed, ApiException failure)
    {
        var notApplied = followUps.SkipWhile(c => c != failed).Select(c => c.Part).ToList();
        var details = failure.Details?.DeepClone().AsObject() ?? [];
        details["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        details["applied"] = new JsonArray([.. applied.Select(p => (JsonNode?)p)]);
        details["not_applied"] = new JsonArray([.. notApplied.Select(p => (JsonNode?)p)]);
        return new ApiException(failure.StatusCode, failure.Error,
            $"{failure.Message} The {resource.Entity} {id} was saved only in part: applied {string.Join(", ", applied)}; not applied {string.Join(", ", notApplied)}.",
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
