using System.Collections.Concurrent;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Telemetry;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.Insightly;

/// <summary>
/// Remembers each account's <c>X-RateLimit-*</c> headers and a spent daily quota. The row is written
/// at most once a minute per account (and whenever the quota runs out), not on every call, and in the
/// background: the request that carried the headers never waits for storage.
/// </summary>
public sealed class RateLimitRecorder(AccountRepository accounts, UnifiedMetrics metrics, TimeProvider time, ILogger<RateLimitRecorder> logger)
{
    private static readonly TimeSpan PersistInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> lastPersisted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> quotaExhaustedUntil = new(StringComparer.Ordinal);

    /// <summary>Best effort: failing to record must never fail (or slow) the call that carried the headers.</summary>
    public void Record(string accountId, HttpResponseMessage response)
    {
        var now = time.GetUtcNow();
        if (InsightlyErrors.IsDailyQuotaExhausted(response))
        {
            quotaExhaustedUntil[accountId] = now + InsightlyErrors.UntilDailyReset(now);
            metrics.ThrottledBy("daily", "insightly");
        }
        else if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
        {
            // Retries may still win; this counts the 429 the caller finally saw (the attempts are in insightly.upstream.calls).
            metrics.ThrottledBy("second", "insightly");
        }

        var snapshot = RateLimitHeaders.Snapshot(response, now);
        if (snapshot is null)
        {
            return;
        }

        var due = !lastPersisted.TryGetValue(accountId, out var last) || now - last >= PersistInterval || snapshot.Remaining == 0;
        if (due)
        {
            lastPersisted[accountId] = now;
            // Not part of the request: it neither waits for the write nor parents its span or log scope.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => PersistAsync(accountId, snapshot));
            }
        }
    }

    private async Task PersistAsync(string accountId, RateLimitSnapshot snapshot)
    {
        try
        {
            await accounts.MergeRateLimitAsync(accountId, snapshot, CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogWarning("Could not record the rate limit of account {AccountId}: {ErrorType} {ErrorMessage}",
                accountId, exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>Throws the daily-quota error without calling Insightly while today's quota is known to be spent.</summary>
    public void ThrowIfDailyQuotaExhausted(string accountId)
    {
        var now = time.GetUtcNow();
        if (quotaExhaustedUntil.TryGetValue(accountId, out var until))
        {
            if (now < until)
            {
                metrics.ThrottledBy("daily", "local");
                throw InsightlyErrors.DailyQuotaExhausted(now);
            }

            quotaExhaustedUntil.TryRemove(KeyValuePair.Create(accountId, until));
        }
    }

    /// <summary>A new key for the account: let the next call find out afresh whether the quota is spent.</summary>
    public void ClearDailyQuota(string accountId) => quotaExhaustedUntil.TryRemove(accountId, out _);
}
