using System.Threading.RateLimiting;
using Insightly.Unified.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;

namespace Insightly.Unified.Insightly;

/// <summary>
/// The resilience pipeline every Insightly call runs through, configured once. One pipeline instance
/// exists per account (selected by <see cref="InsightlyClient.PipelineKey"/>), so each account has its
/// own rate limiter and circuit breaker and one noisy customer cannot stall the others.
/// Order, outermost first: total timeout → retry → circuit breaker → rate limiter → attempt timeout.
/// </summary>
public static class InsightlyResilience
{
    public const string PipelineName = "insightly";

    public static IHttpClientBuilder AddInsightlyResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler(PipelineName, static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<InsightlyOptions>>().Value;
                var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    // One permit at a time, refilled evenly: no burst can push a one-second window past the limit.
                    TokenLimit = 1,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / options.RequestsPerSecond),
                    QueueLimit = options.LimiterQueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    AutoReplenishment = true,
                });
                context.OnPipelineDisposed(limiter.Dispose);
                Configure(pipeline, options, limiter, context.ServiceProvider.GetRequiredService<TimeProvider>());
            })
            .SelectPipelineBy(static _ => request =>
                request.Options.TryGetValue(InsightlyClient.PipelineKey, out var key) ? key : "unkeyed");
        return builder;
    }

    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline, InsightlyOptions options, RateLimiter limiter, TimeProvider time)
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
                ShouldHandle = args => ValueTask.FromResult(
                    options.MaxRetryAttempts > 0
                    && InsightlyRetryRules.ShouldRetry(
                        args.Context.GetRequestMessage()?.Method, args.Outcome, options.MaxRetryAfter, time.GetUtcNow())),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.CircuitBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(InsightlyRetryRules.CountsAsFailure(args.Outcome)),
            })
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = args => limiter.AcquireAsync(1, args.Context.CancellationToken),
            })
            .AddTimeout(options.AttemptTimeout);
    }
}
