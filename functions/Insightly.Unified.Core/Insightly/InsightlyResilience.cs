using Insightly.Unified.Configuration;
using Insightly.Unified.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;

namespace Insightly.Unified.Insightly;

/// <summary>
/// The resilience pipeline every Insightly call runs through, configured once. One pipeline exists per
/// pod (a handful in all), so a pod that fails trips the breaker for its own accounts only; the rate
/// limit inside it is per account (<see cref="InsightlyRateLimiters"/>), so one busy customer never slows
/// another. Order, outermost first: total timeout → retry → circuit breaker → rate limiter → attempt timeout.
/// </summary>
public static class InsightlyResilience
{
    public const string PipelineName = "insightly";

    public static IHttpClientBuilder AddInsightlyResilience(this IHttpClientBuilder builder)
    {
        builder.Services.AddSingleton<InsightlyRateLimiters>();
        builder.Services.AddSingleton<ResilienceCounters>();
        builder.Services.AddUnifiedMetrics();
        builder.AddResilienceHandler(PipelineName, static (pipeline, context) =>
            {
                var services = context.ServiceProvider;
                services.GetRequiredService<ResilienceCounters>().PipelineBuilt(context.InstanceName);
                Configure(pipeline, services.GetRequiredService<IOptions<InsightlyOptions>>().Value,
                    services.GetRequiredService<InsightlyRateLimiters>(), services.GetRequiredService<UnifiedMetrics>(),
                    services.GetRequiredService<TimeProvider>());
            })
            .SelectPipelineBy(static _ => request =>
                request.Options.TryGetValue(InsightlyClient.PodKey, out var pod) ? pod : "");
        // Inside the pipeline: counts and times every attempt, retries included.
        builder.Services.AddTransient<InsightlyCallMetrics>();
        builder.AddHttpMessageHandler<InsightlyCallMetrics>();
        return builder;
    }

    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline, InsightlyOptions options, InsightlyRateLimiters limiters, UnifiedMetrics metrics, TimeProvider time)
    {
        pipeline
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                // No retry once another attempt would not fit the total timeout: the last outcome is the answer.
                ShouldHandle = args => ValueTask.FromResult(
                    options.MaxRetryAttempts > 0
                    && LongestWait(args.Context, options, time) > TimeSpan.Zero
                    && InsightlyRetryRules.ShouldRetry(
                        args.Context.GetRequestMessage()?.Method, args.Outcome, LongestWait(args.Context, options, time), time.GetUtcNow())),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    metrics.UpstreamRetries.Add(1,
                        new("insightly.resource", request?.Options.TryGetValue(InsightlyClient.ResourceKey, out var resource) == true ? resource : "other"),
                        new("reason", args.Outcome.Result is { } response ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)
                            : args.Outcome.Exception?.GetType().Name ?? "unknown"));
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.CircuitBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(InsightlyRetryRules.CountsAsFailure(args.Outcome)),
                OnOpened = args => CircuitChanged(metrics, args.Context, 2),
                OnHalfOpened = args => CircuitChanged(metrics, args.Context, 1),
                OnClosed = args => CircuitChanged(metrics, args.Context, 0),
            })
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                // A call that cannot get a permit within its budget is refused at once: 429 with Retry-After, not a 504 later.
                RateLimiter = args => limiters.AcquireAsync(
                    args.Context.GetRequestMessage()?.Options.TryGetValue(InsightlyClient.RateLimitKey, out var key) == true ? key : "",
                    Remaining(args.Context, options, time),
                    args.Context.CancellationToken),
                OnRejected = _ =>
                {
                    metrics.ThrottledBy("second", "local");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout);
    }

    private static ValueTask CircuitChanged(UnifiedMetrics metrics, ResilienceContext context, int state)
    {
        metrics.CircuitChanged(
            context.GetRequestMessage()?.Options.TryGetValue(InsightlyClient.PodKey, out var pod) == true ? pod : null, state);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// How long a <c>Retry-After</c> may be and still be waited out: no longer than configured, and short enough
    /// that the next attempt still fits the total timeout. Otherwise the caller gets 429 with
    /// <c>Retry-After</c> at once, instead of waiting out the budget for a 504.
    /// </summary>
    private static TimeSpan LongestWait(ResilienceContext context, InsightlyOptions options, TimeProvider time)
    {
        var remaining = Remaining(context, options, time);
        return remaining < options.MaxRetryAfter ? remaining : options.MaxRetryAfter;
    }

    /// <summary>How long a wait (for a permit or a retry) may still take and leave the attempt time to run within the total timeout.</summary>
    private static TimeSpan Remaining(ResilienceContext context, InsightlyOptions options, TimeProvider time)
    {
        var elapsed = context.GetRequestMessage()?.Options.TryGetValue(InsightlyClient.StartedAtKey, out var startedAt) == true
            ? time.GetElapsedTime(startedAt)
            : TimeSpan.Zero;
        var attempt = options.TotalTimeout / 4 < MinimumAttemptTime ? options.TotalTimeout / 4 : MinimumAttemptTime;
        return options.TotalTimeout - elapsed - attempt;
    }

    /// <summary>Time left for the attempt after a wait (at most a quarter of the total); a retry with less would only time out.</summary>
    private static readonly TimeSpan MinimumAttemptTime = TimeSpan.FromSeconds(1);
}

/// <summary>Which resilience pipelines exist (one per pod), so tests and telemetry can see they stay bounded.</summary>
public sealed class ResilienceCounters
{
    // By key: under concurrent first calls the registry may build a pipeline twice and keep one.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> pipelineKeys = new(StringComparer.Ordinal);

    public int Pipelines => pipelineKeys.Count;

    internal void PipelineBuilt(string key) => pipelineKeys.TryAdd(key, 0);
}
