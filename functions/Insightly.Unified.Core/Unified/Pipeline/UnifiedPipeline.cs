using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Telemetry;
using Insightly.Unified.Unified.Idempotency;
using Insightly.Unified.Unified.Listing;
using Insightly.Unified.Unified.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Insightly.Unified.Unified.Pipeline;

/// <summary>
/// The one request path of every unified resource: resolve the account (400 without one, 404 unknown, 401 while
/// it needs re-authentication) → parse the list query or read and check the body → honour
/// <c>Idempotency-Key</c> → call Insightly through the account's connector → map → envelope. Errors become the
/// contract's shape in <see cref="ApiRequestRunner"/>. Resources differ only in their descriptors.
/// </summary>
public sealed class UnifiedPipeline(
    ApiRequestRunner runner,
    AccountSelector accounts,
    JsonBodyReader bodies,
    UnifiedReader reader,
    UnifiedWriter writer,
    IdempotencyStore idempotency,
    FieldsCatalog fields,
    ContactContextReader contactContexts,
    UnifiedMetrics metrics)
{
    /// <summary>What <c>GET …/contacts/{id}/context</c> takes besides the account (<c>code</c> is the function key).</summary>
    private static readonly string[] ContextParameters = ["integrated_account_id", "code"];

    /// <param name="id">The record id from the item route; null on the collection route.</param>
    public Task<IActionResult> RunAsync(CrmResource resource, HttpRequest request, string? id) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var verb = VerbOf(resource, request.Method, id);
            var recordId = id is null ? 0 : InsightlyValues.ParseId(id)
                ?? throw ApiException.InvalidParameter("id", $"'{id}' is not an Insightly record id; ids are digits, like 101.");
            var account = await accounts.SelectAsync(request, cancellationToken);
            return verb switch
            {
                CrmVerbs.List => await reader.ListAsync(resource, account, request.Query, cancellationToken),
                CrmVerbs.Get => await reader.GetAsync(resource, account, recordId, request.Query, cancellationToken),
                _ => await WriteAsync(resource, verb, account, recordId, request, cancellationToken),
            };
        });

    /// <summary><c>GET /unified/crm/contacts/{id}/context</c>: the contact with its account, open opportunities, projects, open tasks and latest notes.</summary>
    public Task<IActionResult> RunContactContextAsync(HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var contactId = InsightlyValues.ParseId(id)
                ?? throw ApiException.InvalidParameter("id", $"'{id}' is not an Insightly record id; ids are digits, like 101.");
            if (request.Query.Keys.FirstOrDefault(name => !ContextParameters.Contains(name, StringComparer.Ordinal)) is { } unknown)
            {
                throw ApiException.InvalidParameter(unknown, $"'{unknown}' is not a parameter of a contact's context; it takes only integrated_account_id.");
            }

            var account = await accounts.SelectAsync(request, cancellationToken);
            return await contactContexts.GetAsync(account, contactId, cancellationToken);
        });

    /// <summary><c>GET /unified/crm/fields?entity=…</c>.</summary>
    public Task<IActionResult> RunFieldsAsync(HttpRequest request) =>
        runner.RunAsync(request, async cancellationToken =>
            await fields.ListAsync(await accounts.SelectAsync(request, cancellationToken), request.Query, cancellationToken));

    private async Task<IActionResult> WriteAsync(
        CrmResource resource, CrmVerbs verb, IntegratedAccount account, long id, HttpRequest request, CancellationToken cancellationToken)
    {
        var body = verb == CrmVerbs.Delete ? [] : await bodies.ReadObjectAsync(request, cancellationToken);
        var includeRemoteData = ListQuery.Boolean(request.Query, "include_remote_data", true);
        var status = verb == CrmVerbs.Create ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        Task<byte[]> Run(WriteAttempt attempt) => verb switch
        {
            CrmVerbs.Create => writer.CreateAsync(resource, account, body, includeRemoteData, attempt, cancellationToken),
            CrmVerbs.Update => writer.UpdateAsync(resource, account, id, body, includeRemoteData, attempt, cancellationToken),
            _ => writer.DeleteAsync(resource, account, id, attempt, cancellationToken),
        };

        if (verb == CrmVerbs.Delete || IdempotencyKey(request) is not { } key)
        {
            return new JsonBytesResult(status, await Run(new WriteAttempt()));
        }

        var fingerprint = IdempotencyStore.Fingerprint(request.Method, request.Path.Value ?? "", System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
        var answer = await idempotency.RunAsync(account.Id, key, fingerprint, status, Run, cancellationToken);
        if (!answer.Replayed)
        {
            return new JsonBytesResult(answer.Status, answer.Body);
        }

        metrics.IdempotencyReplayed(resource.Name);
        return new JsonBytesResult(answer.Status, answer.Body) { Headers = { ["Idempotent-Replayed"] = "true" } };
    }

    private static string? IdempotencyKey(HttpRequest request)
    {
        var values = request.Headers[IdempotencyStore.Header];
        if (values.Count == 0)
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] : null;
        return key is { Length: > 0 and <= IdempotencyStore.MaxKeyLength } && key.All(c => c is > ' ' and <= '~')
            ? key
            : throw ApiException.InvalidParameter(IdempotencyStore.Header,
                $"{IdempotencyStore.Header} must be one value of 1 to {IdempotencyStore.MaxKeyLength} visible ASCII characters, such as a UUID.");
    }

    /// <summary>What the method asks of this route; anything the resource does not allow is 405 with <c>Allow</c>.</summary>
    private static CrmVerbs VerbOf(CrmResource resource, string method, string? id)
    {
        var verb = (method.ToUpperInvariant(), id is null) switch
        {
            ("GET", true) => CrmVerbs.List,
            ("POST", true) => CrmVerbs.Create,
            ("GET", false) => CrmVerbs.Get,
            ("PATCH", false) => CrmVerbs.Update,
            ("DELETE", false) => CrmVerbs.Delete,
            _ => CrmVerbs.None,
        };
        if (verb != CrmVerbs.None && resource.Verbs.HasFlag(verb))
        {
            return verb;
        }

        var allowed = string.Join(", ", id is null ? resource.CollectionMethods : resource.ItemMethods);
        throw new ApiException(405, ErrorCodes.MethodNotAllowed, $"{method} is not allowed here; use {allowed}.")
        {
            Headers = new Dictionary<string, string> { ["Allow"] = allowed },
        };
    }
}
