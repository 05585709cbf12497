using System.Diagnostics;
using Insightly.Unified.Telemetry;

namespace Insightly.Unified.Insightly;

/// <summary>
/// Sits inside the resilience pipeline, next to the socket, so it sees every attempt (retries too): counts it and
/// times it to the response headers, tagged with the resource, method, status and pod. Nothing else is read from
/// the request, and never its <c>Authorization</c>.
/// </summary>
public sealed class InsightlyCallMetrics(UnifiedMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string? error = null;
        int? status = null;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            return response;
        }
        catch (Exception exception)
        {
            error = exception is OperationCanceledException ? "canceled" : exception.GetType().Name;
            throw;
        }
        finally
        {
            if (metrics.UpstreamCalls.Enabled || metrics.UpstreamDuration.Enabled)
            {
                var tags = new TagList
                {
                    { "insightly.resource", request.Options.TryGetValue(InsightlyClient.ResourceKey, out var resource) ? resource : "other" },
                    { "http.request.method", request.Method.Method },
                    { "insightly.pod", UnifiedTelemetry.PodTag(request.Options.TryGetValue(InsightlyClient.PodKey, out var pod) ? pod : null) },
                };
                if (status is { } code)
                {
                    tags.Add("http.response.status_code", code);
                }
                else
                {
                    tags.Add("error.type", error);
                }

                metrics.UpstreamCalls.Add(1, tags);
                metrics.UpstreamDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }
}
