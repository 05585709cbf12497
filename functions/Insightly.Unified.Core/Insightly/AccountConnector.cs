using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Errors;
using Insightly.Unified.Secrets;
using Insightly.Unified.Webhooks;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.Insightly;

/// <summary>
/// Calls Insightly on behalf of a linked account: resolves its key through the cache, records rate-limit
/// headers, and handles a rejected key — the cached key is dropped and re-read once (it may have been
/// rotated by another instance); if Insightly still says 401 the account becomes <c>needs_reauth</c>.
/// </summary>
public sealed class AccountConnector(
    AccountEvents events,
    ApiKeyResolver keys,
    InsightlyClient client,
    RateLimitRecorder rateLimits,
    TimeProvider time,
    ILogger<AccountConnector> logger)
{
    /// <param name="createRequest">Builds a fresh request per attempt; relative to the pod's v3.1 base.</param>
    /// <param name="allowNeedsReauth">True only for credential checks, which is how a flagged account recovers.</param>
    public async Task<HttpResponseMessage> SendAsync(
        IntegratedAccount account,
        Func<HttpRequestMessage> createRequest,
        HttpCompletionOption completion,
        CancellationToken cancellationToken,
        bool allowNeedsReauth = false) =>
        (await SendWithVersionAsync(account, createRequest, completion, cancellationToken, allowNeedsReauth)).Response;

    /// <summary>
    /// GETs a JSON document for the account, turning any non-success answer into the contract's error;
    /// also says which version of the key Insightly accepted.
    /// </summary>
    public async Task<(JsonNode? Body, string KeyVersion)> GetJsonAsync(
        IntegratedAccount account, string relativePath, CancellationToken cancellationToken, bool allowNeedsReauth = false)
    {
        var (response, keyVersion) = await SendWithVersionAsync(
            account, () => new HttpRequestMessage(HttpMethod.Get, new Uri(relativePath, UriKind.Relative)),
            HttpCompletionOption.ResponseContentRead, cancellationToken, allowNeedsReauth);
        using (response)
        {
            return (await InsightlyJson.ReadAsync(response, relativePath, time, cancellationToken), keyVersion);
        }
    }

    /// <summary>
    /// Sends a JSON request (or none) and reads the JSON answer as a document, in one pass over the stream;
    /// any non-success answer becomes the contract's error. Dispose the result.
    /// </summary>
    public async Task<UpstreamDocument> SendJsonAsync(
        IntegratedAccount account, HttpMethod method, string relativePath, JsonNode? body, CancellationToken cancellationToken)
    {
        var content = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body);
        using var response = await SendAsync(account, () => new HttpRequestMessage(method, new Uri(relativePath, UriKind.Relative))
        {
            Content = content is null ? null : new ByteArrayContent(content) { Headers = { ContentType = new("application/json") { CharSet = "utf-8" } } },
        }, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var document = await InsightlyJson.ReadDocumentAsync(response, relativePath, time, cancellationToken);
        return new UpstreamDocument(document, InsightlyJson.TotalCount(response));
    }

    public Task<UpstreamDocument> GetDocumentAsync(IntegratedAccount account, string relativePath, CancellationToken cancellationToken) =>
        SendJsonAsync(account, HttpMethod.Get, relativePath, null, cancellationToken);

    /// <summary>The account's status check before anything else is done for it.</summary>
    public static void EnsureUsable(IntegratedAccount account)
    {
        if (account.Status == AccountStatus.NeedsReauth)
        {
            throw NeedsReauth(account.Id);
        }
    }

    /// <summary>
    /// Flags the account so no further upstream call is made until its key is replaced or re-validated —
    /// unless the row by now describes another key version than the rejected one: then a rotation won the
    /// race and the rejected key is already history. Runs to the end even if the caller has gone.
    /// </summary>
    /// <param name="rejectedVersion">The key version Insightly refused; null when no key was found at all.</param>
    public async Task<ApiException> MarkNeedsReauthAsync(string accountId, int? status, string message, string? rejectedVersion)
    {
        var now = time.GetUtcNow();
        // Only the write that really turns the account raises integrated_account.needs_reauth: concurrent 401s raise one.
        var updated = await events.UpdateAsync(accountId, account => !account.Describes(rejectedVersion)
            ? account
            : account with
            {
                Status = AccountStatus.NeedsReauth,
                LastError = new AccountError(status, message, now),
                UpdatedAt = now,
            }, CancellationToken.None);
        if (updated?.Status == AccountStatus.NeedsReauth)
        {
            logger.LogWarning("Account {AccountId} now needs re-authentication: {Reason}", accountId, message);
        }

        return NeedsReauth(accountId);
    }

    private async Task<(HttpResponseMessage Response, string KeyVersion)> SendWithVersionAsync(
        IntegratedAccount account,
        Func<HttpRequestMessage> createRequest,
        HttpCompletionOption completion,
        CancellationToken cancellationToken,
        bool allowNeedsReauth)
    {
        if (!allowNeedsReauth)
        {
            EnsureUsable(account);
        }

        rateLimits.ThrowIfDailyQuotaExhausted(account.Id);
        var key = await keys.GetAsync(account.Id, cancellationToken)
            ?? throw await MarkNeedsReauthAsync(account.Id, null, "The account has no stored API key.", null);

        var response = await SendWithKeyAsync(account, key.Value, createRequest, completion, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return (response, key.Version);
        }

        response.Dispose();
        keys.InvalidateRejected(account.Id, key.Version);
        var stored = await keys.GetAsync(account.Id, cancellationToken);
        if (stored is not null && stored.Version != key.Version)
        {
            logger.LogInformation("Insightly rejected a cached key for account {AccountId}; retrying once with the stored key", account.Id);
            key = stored;
            response = await SendWithKeyAsync(account, key.Value, createRequest, completion, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return (response, key.Version);
            }

            response.Dispose();
        }

        throw await MarkNeedsReauthAsync(account.Id, 401, "Insightly rejected the API key (401).", key.Version);
    }

    private async Task<HttpResponseMessage> SendWithKeyAsync(
        IntegratedAccount account, string key, Func<HttpRequestMessage> createRequest,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = createRequest();
        var response = await client.SendAsync(request, new InsightlyCredentials(account.Pod, key), account.Id, completion, cancellationToken);
        rateLimits.Record(account.Id, response);
        if (InsightlyErrors.IsDailyQuotaExhausted(response))
        {
            // The same answer as every later call gets until the quota is back (the proxy passes nothing else on).
            using (response)
            {
                throw rateLimits.DailyQuotaExhausted(await InsightlyErrors.RemoteAsync(response, cancellationToken));
            }
        }

        return response;
    }

    private static ApiException NeedsReauth(string accountId) => new(401, ErrorCodes.AccountNeedsReauth,
        $"Insightly rejected the API key of account '{accountId}'. Replace it with PATCH /api/integrated-accounts/{accountId} " +
        $"or re-check it with POST /api/integrated-accounts/{accountId}/validate.",
        new JsonObject { ["integrated_account_id"] = accountId });
}

/// <summary>An Insightly JSON answer: the document (null when there was no body) and, for lists, <c>X-Total-Count</c>.</summary>
public sealed record UpstreamDocument(JsonDocument? Document, long? TotalCount) : IDisposable
{
    public JsonElement Root => Document?.RootElement ?? default;

    public void Dispose() => Document?.Dispose();
}
