using System.Globalization;
using Insightly.Unified.IntegratedAccounts;

namespace Insightly.Unified.Insightly;

/// <summary>Insightly's <c>X-RateLimit-Limit</c> (daily quota) and <c>X-RateLimit-Remaining</c> headers.</summary>
public static class RateLimitHeaders
{
    public static long? Limit(HttpResponseMessage response) => Read(response, "X-RateLimit-Limit");

    public static long? Remaining(HttpResponseMessage response) => Read(response, "X-RateLimit-Remaining");

    public static RateLimitSnapshot? Snapshot(HttpResponseMessage response, DateTimeOffset now)
    {
        var limit = Limit(response);
        var remaining = Remaining(response);
        return limit is null && remaining is null ? null : new RateLimitSnapshot(limit, remaining, now);
    }

    private static long? Read(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
