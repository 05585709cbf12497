using System.Collections.Concurrent;
using Insightly.Unified.Accounts;
using Insightly.Unified.Errors;

namespace Insightly.Unified.Insightly;

/// <summary>
/// Remembers each account's <c>X-RateLimit-*</c> headers and a spent daily quota. The row is written
/// at most once a minute per account (and whenever the quota runs out), not on every call, so
/// recording never doubles the cost of a request.
/// </summary>
public sealed class RateLimitRecorder(AccountRepository accounts, TimeProvider time)
{
    private static readonly TimeSpan PersistInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> lastPersisted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> quotaExhaustedUntil = new(StringComparer.Ordinal);

    public async Task RecordAsync(string accountId, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (InsightlyErrors.IsDailyQuotaExhausted(response))
        {
            quotaExhaustedUntil[accountId] = now + InsightlyErrors.UntilDailyReset(now);
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
            await accounts.MergeRateLimitAsync(accountId, snapshot, cancellationToken);
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
                throw InsightlyErrors.DailyQuotaExhausted(now);
            }

            quotaExhaustedUntil.TryRemove(KeyValuePair.Create(accountId, until));
        }
    }

    /// <summary>A new or re-validated key proves the quota is usable again.</summary>
    public void ClearDailyQuota(string accountId) => quotaExhaustedUntil.TryRemove(accountId, out _);
}
