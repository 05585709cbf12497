using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Configuration;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Insightly;

/// <summary>
/// The typed HttpClient for Insightly v3.1. It builds the pod's URL, adds Basic auth and tags the request
/// with its resilience pipeline key; retries, limits and timeouts come from the handler configured in
/// <see cref="InsightlyResilience"/>. Transport failures surface as the contract's errors.
/// </summary>
public sealed class InsightlyClient(HttpClient http, IOptions<InsightlyOptions> options, TimeProvider time)
{
    /// <summary>The pod: selects the resilience pipeline (and so the circuit breaker) a request runs through.</summary>
    public static readonly HttpRequestOptionsKey<string> PodKey = new("insightly.pod");

    /// <summary>Whose rate limit a request counts against: an account id, or a bucket of keys being verified.</summary>
    public static readonly HttpRequestOptionsKey<string> RateLimitKey = new("insightly.rate-limit-key");

    /// <summary>When the call began (a <see cref="TimeProvider"/> timestamp), so retries can keep within the total timeout.</summary>
    public static readonly HttpRequestOptionsKey<long> StartedAtKey = new("insightly.started-at");

    /// <summary>Sends a request whose URI is relative to the pod's v3.1 base; any HTTP status is returned as is.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, InsightlyCredentials credentials, string rateLimitKey,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        request.RequestUri = new Uri(BaseUri(credentials.Pod), request.RequestUri!);
        // Insightly takes the key as the Basic user name with an empty password.
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.ApiKey + ":")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Options.Set(PodKey, credentials.Pod);
        request.Options.Set(RateLimitKey, rateLimitKey);
        request.Options.Set(StartedAtKey, time.GetTimestamp());
        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (Exception exception) when (InsightlyErrors.FromTransportFailure(exception, cancellationToken) is { } apiException)
        {
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

    public Uri BaseUri(string pod)
    {
        var url = options.Value.BaseUrlTemplate.Replace("{pod}", pod, StringComparison.Ordinal);
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }
}
