using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Insightly.Unified.Errors;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Insightly.Unified.Insightly;

/// <summary>The one place where Insightly's answers and transport failures become the contract's errors.</summary>
public static class InsightlyErrors
{
    private const int MaxRawResponseChars = 4096;

    /// <summary>A 429 with no requests left today: waiting seconds will not help.</summary>
    public static bool IsDailyQuotaExhausted(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests
        && RateLimitHeaders.Remaining(response) == 0;

    /// <summary>Insightly's quota resets at midnight UTC.</summary>
    public static TimeSpan UntilDailyReset(DateTimeOffset now) => now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime;

    /// <param name="checkedAgainIn">When the quota is next tried (a probe); null: not before it resets.</param>
    public static ApiException DailyQuotaExhausted(DateTimeOffset now, RemoteFailure? remote = null, TimeSpan? checkedAgainIn = null)
    {
        var reset = UntilDailyReset(now);
        var wait = checkedAgainIn < reset ? checkedAgainIn.Value : reset;
        var seconds = (long)Math.Ceiling(wait.TotalSeconds);
        var message = wait < reset
            ? $"The Insightly instance has used its daily API quota; it is expected back at midnight UTC (in {(long)Math.Ceiling(reset.TotalSeconds)} seconds), and is tried again in {seconds} seconds in case it comes back sooner."
            : $"The Insightly instance has used its daily API quota; it resets at midnight UTC, in {seconds} seconds.";
        return new ApiException(429, ErrorCodes.RateLimited, message,
            new JsonObject { ["scope"] = "daily", ["retry_after_seconds"] = seconds })
        {
            Remote = remote,
            Headers = new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) },
        };
    }

    public static ApiException PerSecondLimit(long retryAfterSeconds, RemoteFailure? remote = null) =>
        new(429, ErrorCodes.RateLimited,
            "Insightly is throttling this account (10 requests per second) and retries did not get through; try again shortly.",
            new JsonObject { ["scope"] = "second", ["retry_after_seconds"] = retryAfterSeconds })
        {
            Remote = remote,
            Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
        };

    /// <summary>What Insightly answered, as an error's <c>remote_status</c> and <c>raw_response</c>.</summary>
    public static async Task<RemoteFailure> RemoteAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new((int)response.StatusCode, await ReadRawAsync(response, cancellationToken));

    public static async Task<ApiException> FromResponseAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var remote = await RemoteAsync(response, cancellationToken);
        var upstreamMessage = remote.RawResponse is JsonObject body && body["Message"] is JsonValue message
            ? message.ToString()
            : null;
        var suffix = upstreamMessage is null ? "" : $": {upstreamMessage}";

        if (IsDailyQuotaExhausted(response))
        {
            return DailyQuotaExhausted(time.GetUtcNow(), remote);
        }

        return status switch
        {
            400 => new ApiException(422, ErrorCodes.RemoteValidationError, $"Insightly rejected the request{suffix}") { Remote = remote },
            401 => new ApiException(401, ErrorCodes.AccountNeedsReauth,
                "Insightly rejected the account's API key; link the account again with a valid key.") { Remote = remote },
            403 => new ApiException(403, ErrorCodes.RemoteForbidden,
                $"The Insightly user who owns this key may not do this{suffix}") { Remote = remote },
            404 => new ApiException(404, ErrorCodes.NotFound, $"Insightly has no such record{suffix}") { Remote = remote },
            429 => PerSecondLimit(RetryAfterSeconds(response, time.GetUtcNow()) ?? 1, remote),
            _ => new ApiException(502, ErrorCodes.UpstreamError, $"Insightly answered {status}{suffix}") { Remote = remote },
        };
    }

    /// <summary>Maps what the resilience pipeline or the socket threw; null for anything else.</summary>
    public static ApiException? FromTransportFailure(Exception exception, CancellationToken callerToken) => exception switch
    {
        _ when callerToken.IsCancellationRequested => null,
        TimeoutRejectedException or TaskCanceledException => new ApiException(504, ErrorCodes.UpstreamTimeout,
            "Insightly did not answer in time.", inner: exception),
        BrokenCircuitException => new ApiException(503, ErrorCodes.UpstreamUnavailable,
            "Insightly has been failing for this account; calls are paused briefly to let it recover.", inner: exception),
        RateLimiterRejectedException rejected => PerSecondLimit(
            (long)Math.Ceiling((rejected.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds)),
        HttpRequestException => new ApiException(503, ErrorCodes.UpstreamUnavailable,
            "Insightly could not be reached.", inner: exception),
        _ => null,
    };

    /// <summary>
    /// True when a failed call certainly changed nothing in Insightly: Insightly refused it (any 4xx, its 401 and
    /// 429 included), or it was never sent — the account was flagged, the daily quota or the rate limit refused it,
    /// the circuit was open, no connection could be made, or our own storage or secret store failed before it.
    /// Anything else (a timeout, a 5xx, a connection lost after sending, a broken answer, the caller hanging up)
    /// leaves open whether Insightly acted.
    /// </summary>
    public static bool ChangedNothing(Exception failure) => failure switch
    {
        ApiException { Remote.Status: >= 400 and < 500 } => true,
        ApiException { Remote: null, Error: ErrorCodes.AccountNeedsReauth or ErrorCodes.RateLimited } => true,
        ApiException { InnerException: BrokenCircuitException } => true,
        ApiException { InnerException: HttpRequestException
        {
            HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError,
        } } => true,
        DependencyUnavailableException => true,
        _ => false,
    };

    /// <summary>The answer's body broke off (a reset connection) after its status arrived: nothing of it can be trusted.</summary>
    public static ApiException BrokenResponse(string path, Exception cause) =>
        new(502, ErrorCodes.UpstreamError, $"Insightly's answer to {path} broke off before it was complete.", inner: cause);

    public static ApiException MalformedResponse(string path) =>
        new(502, ErrorCodes.UpstreamError, $"Insightly answered {path} with a body that is not JSON.");

    public static long? RetryAfterSeconds(HttpResponseMessage response, DateTimeOffset now)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return (long)Math.Ceiling(delta.TotalSeconds);
        }

        return retryAfter?.Date is { } date ? Math.Max(0, (long)Math.Ceiling((date - now).TotalSeconds)) : null;
    }

    private static async Task<JsonNode?> ReadRawAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text.Length > MaxRawResponseChars ? text[..MaxRawResponseChars] : text);
        }
    }
}
