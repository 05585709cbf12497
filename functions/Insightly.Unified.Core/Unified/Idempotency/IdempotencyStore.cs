using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Unified.Idempotency;

/// <summary>The answer a write gave: its own, or (<see cref="Replayed"/>) the stored first answer of its <c>Idempotency-Key</c>.</summary>
public sealed record StoredResponse(int Status, byte[] Body, bool Replayed = false);

/// <summary>
/// <c>Idempotency-Key</c> on POST and PATCH, in Table storage: one row per account and key (the account is the
/// partition, so keys never cross accounts) holding a fingerprint of the request, and once it finishes its status
/// and body for <see cref="UnifiedOptions.IdempotencyLifetime"/>. A repeat replays that answer with no second
/// upstream write; the same key with another request, or while the first is still running, is 409.
/// </summary>
/// <remarks>
/// Once a write call was sent to Insightly the key is never given back, since a second run could write twice: it
/// keeps the final answer, or — when the write may have taken effect but no answer can be kept (a timeout, a lost
/// connection, throttling of a follow-up call, the caller hanging up, an answer too large to store) — the state
/// "outcome unknown", which a repeat is told with 409 and the advice to read the record first. A first run that
/// never finished (its instance died, or storing its answer failed) counts as outcome unknown once it is
/// <see cref="AbandonedAfter"/> old. The key is released only when nothing changed upstream for certain.
/// </remarks>
public sealed class IdempotencyStore(TableClient table, IOptions<UnifiedOptions> options, TimeProvider time, ILogger<IdempotencyStore> logger)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    /// <summary>A started request whose first run has not finished by then is taken to have died with its instance.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(5);

    /// <summary>Table properties hold at most 64 KiB; bodies are split across several.</summary>
    private const int ChunkBytes = 60 * 1024;
    private const int MaxChunks = 15;

    private const string Started = "started";
    private const string Completed = "completed";
    private const string OutcomeUnknown = "unknown";

    /// <summary>
    /// Runs <paramref name="write"/> once per key and request, or replays the answer its first run gave. The write
    /// reports on <see cref="WriteAttempt"/> how far it got, which decides what a failure leaves the key with.
    /// </summary>
    public async Task<StoredResponse> RunAsync(
        string accountId, string key, string fingerprint, int status, Func<WriteAttempt, Task<byte[]>> write, CancellationToken cancellationToken)
    {
        var (lease, replay) = await BeginAsync(accountId, key, fingerprint, cancellationToken);
        if (replay is not null)
        {
            return replay;
        }

        var attempt = new WriteAttempt();
        byte[] answer;
        try
        {
            answer = await write(attempt);
        }
        catch (Exception failure)
        {
            await SettleAsync(lease!, attempt, failure);
            throw;
        }

        await KeepAsync(lease!, () => lease!.CompleteAsync(status, answer, attempt.RecordId));
        return new StoredResponse(status, answer);
    }

    /// <summary>Claims the key for this request, or returns the answer to replay. Throws 409 on a conflicting use.</summary>
    private async Task<(IdempotencyLease? Lease, StoredResponse? Replay)> BeginAsync(
        string accountId, string key, string fingerprint, CancellationToken cancellationToken)
    {
        var rowKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        while (true)
        {
            var now = time.GetUtcNow();
            var claim = new TableEntity(accountId, rowKey)
            {
                ["Fingerprint"] = fingerprint,
                ["State"] = Started,
                ["StartedAt"] = now,
                ["ExpiresAt"] = now + options.Value.IdempotencyLifetime,
            };
            try
            {
                var added = await table.AddEntityAsync(claim, cancellationToken);
                return (new IdempotencyLease(table, claim, added.Headers.ETag ?? ETag.All), null);
            }
            catch (RequestFailedException exception) when (exception.Status == 409)
            {
            }

            var existing = await table.GetEntityIfExistsAsync<TableEntity>(accountId, rowKey, cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                continue;
            }

            var row = existing.Value!;
            if (row.GetDateTimeOffset("ExpiresAt") <= now)
            {
                try
                {
                    var taken = await table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken);
                    return (new IdempotencyLease(table, claim, taken.Headers.ETag ?? ETag.All), null);
                }
                catch (RequestFailedException conflict) when (conflict.Status is 404 or 412)
                {
                    continue;
                }
            }

            if (row.GetString("Fingerprint") != fingerprint)
            {
                throw Conflict("was already used with a different request; use a new key for a new request.");
            }

            return row.GetString("State") switch
            {
                Completed => (null, new StoredResponse(row.GetInt32("Status") ?? 200, ReadBody(row), Replayed: true)),
                OutcomeUnknown => throw Unknown(row.GetString("RecordId"), "did not finish with an answer that could be kept"),
                _ when row.GetDateTimeOffset("StartedAt") + AbandonedAfter <= now =>
                    throw Unknown(row.GetString("RecordId"), $"did not finish within {AbandonedAfter.TotalMinutes:0} minutes"),
                _ => throw Conflict("is still being processed; retry once that request has finished."),
            };
        }
    }

    /// <summary>Leaves the key as the failure allows: released, holding Insightly's final answer, or outcome unknown.</summary>
    private async Task SettleAsync(IdempotencyLease lease, WriteAttempt attempt, Exception failure)
    {
        var outcome = attempt.OutcomeOf(failure);
        logger.LogInformation("An idempotent write failed with {ErrorType} ({Outcome}); the Idempotency-Key is {Kept}",
            failure.GetType().Name, outcome, outcome == WriteOutcome.NothingWritten ? "released" : "kept");
        await KeepAsync(lease, () => outcome switch
        {
            WriteOutcome.NothingWritten => lease.ReleaseAsync(),
            WriteOutcome.Answered when failure is ApiException answer =>
                lease.CompleteAsync(answer.StatusCode, Http.ApiResults.ErrorBytes(answer), attempt.RecordId),
            _ => lease.MarkUnknownAsync(attempt.RecordId),
        });
    }

    /// <summary>
    /// A failure to record the outcome is logged, not thrown: the caller gets the write's own answer. The row then
    /// stays <c>started</c>, which a repeat is told is in progress and, once abandoned, of unknown outcome — never a
    /// second run.
    /// </summary>
    private async Task KeepAsync(IdempotencyLease lease, Func<Task> record)
    {
        try
        {
            await record();
        }
        catch (Exception exception)
        {
            logger.LogWarning("Could not record the outcome of Idempotency-Key row {RowKey}; a repeat is refused until it counts as abandoned: {ErrorType} {ErrorMessage}",
                lease.RowKey, exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>Removes the keys whose lifetime is over, with the answers they hold. Returns how many went.</summary>
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) =>
        TableRows.DeleteAsync(table, TableClient.CreateQueryFilter($"ExpiresAt le {time.GetUtcNow()}"), cancellationToken);

    /// <summary>Removes every key of an account (its partition), once the account is unlinked.</summary>
    public Task<int> ForgetAccountAsync(string accountId, CancellationToken cancellationToken) =>
        TableRows.DeleteAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {accountId}"), cancellationToken);

    /// <summary>A fingerprint of what the request asks for: method, route and body bytes.</summary>
    public static string Fingerprint(string method, string path, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method}\n{path}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] ReadBody(TableEntity row)
    {
        using var body = new MemoryStream();
        for (var i = 0; row.GetBinary($"Body{i}") is { } chunk; i++)
        {
            body.Write(chunk);
        }

        return body.ToArray();
    }

    private static ApiException Conflict(string what) => new(409, ErrorCodes.IdempotencyConflict,
        $"This {Header} {what}", new JsonObject { ["header"] = Header });

    private static ApiException Unknown(string? recordId, string why)
    {
        var details = new JsonObject { ["header"] = Header, ["outcome"] = "unknown" };
        if (recordId is not null)
        {
            details["id"] = recordId;
        }

        return new ApiException(409, ErrorCodes.IdempotencyConflict,
            $"The first request with this {Header} reached Insightly but {why}, so whether it took effect is not known. " +
            $"Read the record{(recordId is null ? "" : $" ({recordId})")} first to see what was saved; send any further change with a new key.",
            details);
    }

    /// <summary>The claim on a key while its request runs: completed with the answer, marked unknown, or released.</summary>
    private sealed class IdempotencyLease(TableClient table, TableEntity claim, ETag etag)
    {
        public string RowKey => claim.RowKey;

        /// <summary>Stores the answer for replays; one too large to store leaves the key as outcome unknown instead.</summary>
        public Task CompleteAsync(int status, byte[] body, long? recordId)
        {
            var chunks = body.Chunk(ChunkBytes).ToList();
            if (chunks.Count > MaxChunks)
            {
                return MarkUnknownAsync(recordId);
            }

            claim["State"] = Completed;
            claim["Status"] = status;
            for (var i = 0; i < chunks.Count; i++)
            {
                claim[$"Body{i}"] = chunks[i];
            }

            return ReplaceAsync(recordId);
        }

        public Task MarkUnknownAsync(long? recordId)
        {
            claim["State"] = OutcomeUnknown;
            return ReplaceAsync(recordId);
        }

        /// <summary>Frees the key after a failure that changed nothing upstream, so the caller may retry with the same key.</summary>
        public async Task ReleaseAsync()
        {
            try
            {
                await table.DeleteEntityAsync(claim.PartitionKey, claim.RowKey, etag, CancellationToken.None);
            }
            catch (RequestFailedException exception) when (exception.Status is 404 or 412)
            {
            }
        }

        // The request is done upstream whatever its caller does now; record it regardless.
        private Task ReplaceAsync(long? recordId)
        {
            claim["RecordId"] = recordId?.ToString(CultureInfo.InvariantCulture);
            return table.UpdateEntityAsync(claim, etag, TableUpdateMode.Replace, CancellationToken.None);
        }
    }
}
