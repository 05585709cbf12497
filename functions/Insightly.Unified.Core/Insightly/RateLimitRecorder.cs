using System.Collections.Concurrent;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Insightly;

/// <summary>
/// Remembers each account's <c>X-RateLimit-*</c> headers and a spent daily quota. The row is written
/// at most once a minute per account (and whenever the quota runs out), not on every call, and in the
/// background: the request that carried the headers never waits for storage.
/// A spent quota is expected back at midnight UTC, which is unconfirmed: until then one real call is let through
/// every <see cref="InsightlyOptions.DailyQuotaProbeInterval"/>, so an early reset or a plan upgrade is noticed,
/// and every other call is answered 429 without calling Insightly.
/// </summary>
public sealed class RateLimitRecorder(
    AccountRepository accounts, UnifiedMetrics metrics, IOptions<InsightlyOptions> options, TimeProvider time, ILogger<RateLimitRecorder> logger)
{
    private static readonly TimeSpan PersistInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> lastPersisted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SpentQuota> spentQuotas = new(StringComparer.Ordinal);

    private TimeSpan ProbeInterval => options.Value.DailyQuotaProbeInterval;

    /// <summary>Best effort: failing to record must never fail (or slow) the call that carried the headers.</summary>
    public void Record(string accountId, HttpResponseMessage response)
    {
        var now = time.GetUtcNow();
        if (InsightlyErrors.IsDailyQuotaExhausted(response))
        {
            spentQuotas[accountId] = new SpentQuota(now + InsightlyErrors.UntilDailyReset(now), now + ProbeInterval);
            metrics.ThrottledBy("daily", "insightly");
        }
        else
        {
            // Any other answer means the quota is there (again): an early reset, or a plan upgrade.
            if (!spentQuotas.IsEmpty)
            {
                spentQuotas.TryRemove(accountId, out _);
            }

            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                // Retries may still win; this counts the 429 the caller finally saw (the attempts are in insightly.upstream.calls).
                metrics.ThrottledBy("second", "insightly");
            }
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

    /// <summary>
    /// Throws the daily-quota error without calling Insightly while today's quota is known to be spent — except for
    /// the one call per probe interval that goes ahead to find out whether it still is.
    /// </summary>
    public void ThrowIfDailyQuotaExhausted(string accountId)
    {
        var now = time.GetUtcNow();
        while (spentQuotas.TryGetValue(accountId, out var spent))
        {
            if (now >= spent.Until)
            {
                spentQuotas.TryRemove(KeyValuePair.Create(accountId, spent));
                return;
            }

            if (now < spent.NextProbe)
            {
                metrics.ThrottledBy("daily", "local");
                throw InsightlyErrors.DailyQuotaExhausted(now, checkedAgainIn: spent.NextProbe - now);
            }

            // Of concurrent calls, only the one that moves the next probe on is the probe; the others look again.
            if (spentQuotas.TryUpdate(accountId, spent with { NextProbe = now + ProbeInterval }, spent))
            {
                return;
            }
        }
    }

    /// <summary>The error for a call Insightly has just answered with a spent daily quota (recorded already).</summary>
    public ApiException DailyQuotaExhausted(RemoteFailure remote) =>
        InsightlyErrors.DailyQuotaExhausted(time.GetUtcNow(), remote, checkedAgainIn: ProbeInterval);

    /// <summary>A new key for the account: let the next call find out afresh whether the quota is spent.</summary>
    public void ClearDailyQuota(string accountId) => spentQuotas.TryRemove(accountId, out _);

    /// <summary>A spent quota: expected back at <paramref name="Until"/>; Insightly tried again from <paramref name="NextProbe"/>.</summary>
    private sealed record SpentQuota(DateTimeOffset Until, DateTimeOffset NextProbe);
}
