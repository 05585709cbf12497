using System.Net;
using Polly;
using Polly.Timeout;

namespace Insightly.Unified.Insightly;

/// <summary>Which Insightly outcomes are worth another attempt, and which count against the circuit breaker.</summary>
public static class InsightlyRetryRules
{
    /// <summary>
    /// Retries throttling (429), server errors (5xx), timeouts and connection failures — but only for
    /// GET, PUT and DELETE: a POST or PATCH may have been applied even when the answer was lost.
    /// A spent daily quota, or a <c>Retry-After</c> longer than we are willing to wait, goes straight back.
    /// </summary>
    public static bool ShouldRetry(HttpMethod? method, Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, DateTimeOffset now)
    {
        if (method is null || !IsRetriableMethod(method))
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return !InsightlyErrors.IsDailyQuotaExhausted(response)
                && (InsightlyErrors.RetryAfterSeconds(response, now) ?? 0) <= maxRetryAfter.TotalSeconds;
        }

        return IsServerError(response.StatusCode);
    }

    /// <summary>Failures that suggest Insightly itself is unwell; throttling and client errors are not.</summary>
    public static bool CountsAsFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } response && IsServerError(response.StatusCode));

    private static bool IsRetriableMethod(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Delete;

    private static bool IsServerError(HttpStatusCode status) => (int)status >= 500;
}
