namespace Insightly.Unified.Webhooks;

/// <summary>
/// When a failed delivery is tried again: exponential backoff (the base delay doubling after each failure, capped) with
/// ±25 % jitter, so receivers that come back after an outage are not hit by every retry at the same instant.
/// </summary>
public static class DeliveryBackoff
{
    /// <summary>The wait after attempt <paramref name="failedAttempt"/> (1-based) failed, before jitter.</summary>
    public static TimeSpan Delay(int failedAttempt, WebhookOptions options)
    {
        var doublings = Math.Min(failedAttempt - 1, 40);
        var delay = options.RetryBaseDelay * Math.Pow(2, doublings);
        return delay < options.RetryMaxDelay ? delay : options.RetryMaxDelay;
    }

    /// <param name="random">A value in [0, 1): 0 waits 25 % less, values near 1 almost 25 % more.</param>
    public static TimeSpan WithJitter(TimeSpan delay, double random) => delay * (0.75 + (0.5 * random));

    /// <summary>The waits between the attempts, before jitter: <see cref="WebhookOptions.MaxAttempts"/> − 1 of them.</summary>
    public static IReadOnlyList<TimeSpan> Schedule(WebhookOptions options) =>
        Enumerable.Range(1, options.MaxAttempts - 1).Select(attempt => Delay(attempt, options)).ToList();
}
