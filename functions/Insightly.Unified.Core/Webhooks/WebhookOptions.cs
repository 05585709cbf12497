using System.ComponentModel.DataAnnotations;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// Outbound webhooks (section <c>Webhooks</c>; the queue names are the flat settings <c>WEBHOOK_EVENTS_QUEUE</c> and
/// <c>WEBHOOK_DELIVERIES_QUEUE</c>, because the queue triggers name them as <c>%SETTING%</c>).
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    public const string EventsQueueSetting = "WEBHOOK_EVENTS_QUEUE";
    public const string DeliveriesQueueSetting = "WEBHOOK_DELIVERIES_QUEUE";

    /// <summary>The defaults that local.settings.sample.json and the Bicep template carry (a test pins them).</summary>
    public const string DefaultEventsQueue = "webhook-events";
    public const string DefaultDeliveriesQueue = "webhook-deliveries";

    /// <summary>A delivery that gets no 2xx within this is a failure (contract section 8).</summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Lower-case letters, digits and single dashes, short enough for <c>{name}-poison</c> to be a queue name too.</summary>
    private const string QueueName = "^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$";

    [RegularExpression(QueueName)]
    public string EventsQueue { get; set; } = DefaultEventsQueue;

    [RegularExpression(QueueName)]
    public string DeliveriesQueue { get; set; } = DefaultDeliveriesQueue;

    /// <summary>Wait after the first failed attempt; it doubles after each further one, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Attempts in all, the first included. With the defaults the retries span about a day (24 h 15 min before jitter).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 14;

    /// <summary>
    /// How old an event still waiting on its account row (its enqueue failed, or the process stopped first) must be before the
    /// credential check sends it; younger ones may still be on their way from the request that raised them.
    /// </summary>
    public TimeSpan RepairAfter { get; set; } = TimeSpan.FromMinutes(2);

    public bool IsValid(out string problem)
    {
        problem = RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay || RetryMaxDelay > TimeSpan.FromDays(6)
            ? "Webhooks:RetryBaseDelay must be positive and Webhooks:RetryMaxDelay between it and 6 days (a queue message can wait at most 7)."
            : RepairAfter < TimeSpan.Zero
                ? "Webhooks:RepairAfter must not be negative."
                : "";
        return problem.Length == 0;
    }
}
