using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Errors;
using Insightly.Unified.Telemetry;

namespace Insightly.Unified.Insightly;

/// <summary>
/// The typed HttpClient for Insightly v3.1. It builds the pod's URL, adds Basic auth and tags the request
/// with its resilience pipeline key; retries, limits and timeouts come from the handler configured in
/// <see cref="InsightlyResilience"/>. Transport failures surface as the contract's errors.
/// </summary>
public sealed class InsightlyClient(HttpClient http, InsightlyEndpoints endpoints, TimeProvider time)
{
    /// <summary>The pod: selects the resilience pipeline (and so the circuit breaker) a request runs through.</summary>
    public static readonly HttpRequestOptionsKey<string> PodKey = new("insightly.pod");

    /// <summary>Whose rate limit a request counts against: an account id, or a bucket of keys being verified.</summary>
    public static readonly HttpRequestOptionsKey<string> RateLimitKey = new("insightly.rate-limit-key");

    /// <summary>The Insightly resource the request is for (a fixed list, see <see cref="UnifiedTelemetry.ResourceOf"/>), for telemetry.</summary>
    public static readonly HttpRequestOptionsKey<string> ResourceKey = new("insightly.resource");

    /// <summary>When the call began (a <see cref="TimeProvider"/> timestamp), so retries can keep within the total timeout.</summary>
    public static readonly HttpRequestOptionsKey<long> StartedAtKey = new("insightly.started-at");

    /// <summary>
    /// Sends a request whose URI is relative to the pod's v3.1 base; any HTTP status is returned as is. A URI that
    /// would end up anywhere but below that base is refused before anything is sent (<see cref="EnsureWithinBase"/>).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, InsightlyCredentials credentials, string rateLimitKey,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var baseUri = endpoints.BaseUri(credentials.Pod);
        var resource = UnifiedTelemetry.ResourceOf(request.RequestUri!.OriginalString);
        request.RequestUri = EnsureWithinBase(baseUri, new Uri(baseUri, request.RequestUri!));
        // Insightly takes the key as the Basic user name with an empty password.
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.ApiKey + ":")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Options.Set(PodKey, credentials.Pod);
        request.Options.Set(RateLimitKey, rateLimitKey);
        request.Options.Set(StartedAtKey, time.GetTimestamp());
        request.Options.Set(ResourceKey, resource);
        // One span for the whole call (rate limit wait, retries); each attempt is an HTTP client span inside it.
        using var activity = UnifiedTelemetry.Source.HasListeners()
            ? UnifiedTelemetry.Source.StartActivity($"Insightly {request.Method.Method} {resource}", ActivityKind.Internal)
            : null;
        activity?.SetTag("insightly.resource", resource);
        activity?.SetTag("insightly.pod", credentials.Pod);
        // An account id; a key being verified is only "verify": its bucket is derived from the key itself.
        activity?.SetTag("insightly.rate_limit_key",
            rateLimitKey.StartsWith(CredentialVerifier.VerificationKeyPrefix, StringComparison.Ordinal) ? "verify" : rateLimitKey);
        try
        {
            var response = await http.SendAsync(request, completion, cancellationToken);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
            }

            return response;
        }
        catch (Exception exception) when (InsightlyErrors.FromTransportFailure(exception, cancellationToken) is { } apiException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, apiException.Error);
            throw apiException;
        }
    }

    /// <summary>
    /// GETs a JSON document, turning any non-success answer into the contract's error; also returns the
    /// daily-quota headers the answer carried.
    /// </summary>
    public async Task<(JsonNode? Body, RateLimitSnapshot? RateLimit)> GetJsonAsync(
        string relativePath, InsightlyCredentials credentials, string rateLimitKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(relativePath, UriKind.Relative));
        using var response = await SendAsync(request, credentials, rateLimitKey, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await InsightlyJson.ReadAsync(response, relativePath, time, cancellationToken);
        return (body, RateLimitHeaders.Snapshot(response, time.GetUtcNow()));
    }

    /// <summary>
    /// The last check before a request leaves with an account's key: the final URI must have the base's scheme,
    /// host and port, no user info, and a path at or below the base's path (<c>/v3.1/</c>). The proxy validates its
    /// paths before this; this assertion holds for every caller whatever it validated.
    /// </summary>
    public static Uri EnsureWithinBase(Uri baseUri, Uri target)
    {
        var within = target.IsAbsoluteUri
            && string.Equals(target.Scheme, baseUri.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(target.Host, baseUri.Host, StringComparison.OrdinalIgnoreCase)
            && target.Port == baseUri.Port
            && target.UserInfo.Length == 0
            && target.AbsolutePath.StartsWith(baseUri.AbsolutePath, StringComparison.Ordinal);
        return within
            ? target
            : throw new ApiException(400, ErrorCodes.InvalidParameter,
                "The request would leave the account's Insightly API base; it was not sent.",
                new JsonObject { ["parameter"] = "path" });
    }
}
