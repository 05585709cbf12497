using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Insightly.Unified.Configuration;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Insightly;

/// <summary>
/// Insightly allows 10 requests a second per key, so every account (and every bucket of keys being
/// verified) gets a token bucket of its own. All buckets are refilled by one shared timer, and a bucket
/// that has been full for <see cref="InsightlyOptions.LimiterIdleTimeout"/> is dropped: memory and timers
/// stay bounded by the accounts in use now, not by every account ever called.
/// </summary>
public sealed class InsightlyRateLimiters : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> buckets = new(StringComparer.Ordinal);
    private readonly InsightlyOptions options;
    private readonly ITimer refill;

    public InsightlyRateLimiters(IOptions<InsightlyOptions> options, TimeProvider time)
    {
        this.options = options.Value;
        refill = time.CreateTimer(_ => Refill(), null, Period, Period);
    }

    /// <summary>Buckets alive now.</summary>
    public int Count => buckets.Count;

    /// <summary>
    /// One permit per 1/rate seconds while that is at least <see cref="ShortestPeriod"/> (every rate Insightly allows);
    /// only a stand-in allowed more (a benchmark's fake) gets several permits per 100 ms tick instead of a fast timer
    /// waking the thread pool hundreds of times a second.
    /// </summary>
    private TimeSpan Period => TimeSpan.FromSeconds(Math.Max(1.0 / options.RequestsPerSecond, ShortestPeriod.TotalSeconds));

    private int PermitsPerPeriod => Math.Max(1, (int)Math.Round(options.RequestsPerSecond * Period.TotalSeconds));

    private static readonly TimeSpan ShortestPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A permit for <paramref name="key"/>, or a refused lease (with a <c>Retry-After</c>) when none frees up within
    /// <paramref name="maxWait"/>: a caller whose budget would run out in the queue hears 429 at once, not 504 later.
    /// </summary>
    public async ValueTask<RateLimitLease> AcquireAsync(string key, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (maxWait <= TimeSpan.Zero)
        {
            return new RefusedLease(Period);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(maxWait);
        try
        {
            return await AcquireAsync(key, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RefusedLease(Period);
        }
    }

    public async ValueTask<RateLimitLease> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            var bucket = buckets.GetOrAdd(key, _ => NewBucket());
            try
            {
                return await bucket.AcquireAsync(1, cancellationToken);
            }
            catch (ObjectDisposedException)
            {
                // Dropped as idle between the lookup and the acquire: the next lookup makes a fresh one.
            }
        }
    }

    public void Dispose()
    {
        refill.Dispose();
        foreach (var bucket in buckets.Values)
        {
            bucket.Dispose();
        }
    }

    private TokenBucketRateLimiter NewBucket() => new(new TokenBucketRateLimiterOptions
    {
        // One permit at a time, refilled evenly: no burst can push a one-second window past the limit.
        TokenLimit = PermitsPerPeriod,
        TokensPerPeriod = PermitsPerPeriod,
        ReplenishmentPeriod = Period,
        QueueLimit = options.LimiterQueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = false,
    });

    private void Refill()
    {
        foreach (var (key, bucket) in buckets)
        {
            if (bucket.IdleDuration > options.LimiterIdleTimeout && buckets.TryRemove(KeyValuePair.Create(key, bucket)))
            {
                bucket.Dispose();
                continue;
            }

            bucket.TryReplenish();
        }
    }

    /// <summary>No permit: try again after the retry-after it carries.</summary>
    private sealed class RefusedLease(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
