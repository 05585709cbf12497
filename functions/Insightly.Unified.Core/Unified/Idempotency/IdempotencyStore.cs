using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Unified.Idempotency;

/// <summary>The answer a finished request gave, replayed for a repeat of its <c>Idempotency-Key</c>.</summary>
public sealed record StoredResponse(int Status, byte[] Body);

/// <summary>
/// <c>Idempotency-Key</c> on POST and PATCH, in Table storage: one row per account and key (the account is the
/// partition, so keys never cross accounts) holding a fingerprint of the request, and once it finishes its
/// status and body for <see cref="UnifiedOptions.IdempotencyLifetime"/>. A repeat replays that answer with no
/// second upstream write; the same key with another request, or while the first is still running, is 409.
/// </summary>
public sealed class IdempotencyStore(TableClient table, IOptions<UnifiedOptions> options, TimeProvider time)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    /// <summary>A started request whose first run has not finished by then is taken to have died with its instance.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(5);

    /// <summary>Table properties hold at most 64 KiB; bodies are split across several.</summary>
    private const int ChunkBytes = 60 * 1024;
    private const int MaxChunks = 15;

    /// <summary>Claims the key for this request, or returns the answer to replay. Throws 409 on a conflicting use.</summary>
    public async Task<(IdempotencyLease? Lease, StoredResponse? Replay)> BeginAsync(
        string accountId, string key, string fingerprint, CancellationToken cancellationToken)
    {
        var rowKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        while (true)
        {
            var now = time.GetUtcNow();
            var claim = new TableEntity(accountId, rowKey)
            {
                ["Fingerprint"] = fingerprint,
                ["State"] = "started",
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
            var expired = row.GetDateTimeOffset("ExpiresAt") <= now;
            var abandoned = row.GetString("State") == "started" && row.GetDateTimeOffset("StartedAt") + AbandonedAfter <= now;
            if (expired || abandoned)
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

            if (row.GetString("State") != "completed")
            {
                throw Conflict("is still being processed; retry once that request has finished.");
            }

            return (null, new StoredResponse(row.GetInt32("Status") ?? 200, ReadBody(row)));
        }
    }

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
        $"This {Header} {what}", new System.Text.Json.Nodes.JsonObject { ["header"] = Header });

    /// <summary>The claim on a key while its request runs: completed with the answer, or released so the key can be used again.</summary>
    public sealed class IdempotencyLease(TableClient table, TableEntity claim, ETag etag)
    {
        /// <summary>Stores the answer for replays. An answer too large to store releases the key instead.</summary>
        public async Task CompleteAsync(int status, byte[] body)
        {
            var chunks = body.Chunk(ChunkBytes).ToList();
            if (chunks.Count > MaxChunks)
            {
                await ReleaseAsync();
                return;
            }

            claim["State"] = "completed";
            claim["Status"] = status;
            for (var i = 0; i < chunks.Count; i++)
            {
                claim[$"Body{i}"] = chunks[i];
            }

            // The request is done upstream whatever its caller does now; record it regardless.
            await table.UpdateEntityAsync(claim, etag, TableUpdateMode.Replace, CancellationToken.None);
        }

        /// <summary>
        /// Frees the key after a failure that wrote nothing upstream for certain (refused before sending, or an
        /// answer Insightly gave), so the caller may retry with the same key.
        /// </summary>
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
    }
}
