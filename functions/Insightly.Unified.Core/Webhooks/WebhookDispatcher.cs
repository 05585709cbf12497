using System.Text.Json;
using Insightly.Unified.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// The work of the two queue-triggered functions. <see cref="FanOutAsync"/> turns one event into one delivery message per
/// matching subscription (by event type and tenant). <see cref="DeliverAsync"/> makes one attempt: a 2xx records
/// <c>last_delivery_at</c>; a 410 disables the subscription; any other answer, a timeout or no connection queues the
/// next attempt with exponential backoff and jitter, until <see cref="WebhookOptions.MaxAttempts"/> are spent — then the
/// message goes to the poison queue and the failure to <c>last_failure</c>. An exception (our storage down, say) is
/// left to the Functions host, which retries the message and poisons it after <c>maxDequeueCount</c>.
/// </summary>
public sealed class WebhookDispatcher(
    WebhookRepository subscriptions,
    WebhookQueues queues,
    ISecretStore secrets,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger)
{
    public async Task FanOutAsync(string message, CancellationToken cancellationToken)
    {
        var queued = JsonSerializer.Deserialize(message, WebhookJsonContext.Default.QueuedEvent)
            ?? throw new InvalidOperationException("An empty message reached the webhook events queue.");
        IReadOnlyList<WebhookSubscription> targets = queued.SubscriptionId is { } only
            ? await subscriptions.FindAsync(only, cancellationToken) is { } tested ? [tested] : []
            : (await subscriptions.ListEnabledAsync(cancellationToken)).Where(s => s.Wants(queued.Type, queued.TenantIds, queued.TenantSubscriptionsOnly)).ToList();

        var now = time.GetUtcNow();
        foreach (var subscription in targets)
        {
            await queues.SendDeliveryAsync(new DeliveryMessage(queued.Id, queued.Type, subscription.Id, queued.Body, 1, now), null, cancellationToken);
        }

        logger.LogInformation("Webhook event {EventId} {EventType} goes to {Count} subscription(s)", queued.Id, queued.Type, targets.Count);
    }

    public async Task DeliverAsync(string message, CancellationToken cancellationToken)
    {
        var delivery = JsonSerializer.Deserialize(message, WebhookJsonContext.Default.DeliveryMessage)
            ?? throw new InvalidOperationException("An empty message reached the webhook deliveries queue.");
        var subscription = await subscriptions.FindAsync(delivery.SubscriptionId, cancellationToken);
        if (subscription is null || (!subscription.Enabled && delivery.Type != WebhookEventTypes.Test))
        {
            logger.LogInformation("Webhook event {EventId} not delivered: subscription {WebhookId} is {State}",
                delivery.EventId, delivery.SubscriptionId, subscription is null ? "deleted" : "disabled");
            return;
        }

        // Read for every attempt, never cached: a rotated secret signs from the very next delivery on.
        var secret = await secrets.GetAsync(WebhookIds.SecretName(subscription.Id), cancellationToken);
        if (secret is null)
        {
            logger.LogInformation("Webhook event {EventId} not delivered: subscription {WebhookId} has no secret (deleted)", delivery.EventId, subscription.Id);
            return;
        }

        var outcome = await sender.SendAsync(subscription.Url, delivery, secret.Value, cancellationToken);
        var now = time.GetUtcNow();
        if (outcome.Succeeded)
        {
            await subscriptions.MarkDeliveredAsync(subscription.Id, now, cancellationToken);
            logger.LogInformation("Delivered webhook event {EventId} {EventType} to subscription {WebhookId} (attempt {Attempt}, {Status})",
                delivery.EventId, delivery.Type, subscription.Id, delivery.Attempt, outcome.Status);
            return;
        }

        if (outcome.Gone)
        {
            await subscriptions.UpdateAsync(subscription.Id, current => current with
            {
                Enabled = false,
                LastFailure = new WebhookFailure(410, "The receiver answered 410 Gone; the subscription was disabled.", now),
                UpdatedAt = now,
            }, cancellationToken);
            logger.LogWarning("Webhook subscription {WebhookId} disabled: its receiver answered 410 to event {EventId}", subscription.Id, delivery.EventId);
            return;
        }

        var settings = options.Value;
        if (delivery.Attempt < settings.MaxAttempts)
        {
            var delay = DeliveryBackoff.WithJitter(DeliveryBackoff.Delay(delivery.Attempt, settings), Random.Shared.NextDouble());
            await queues.SendDeliveryAsync(delivery with { Attempt = delivery.Attempt + 1 }, delay, cancellationToken);
            logger.LogInformation("Webhook event {EventId} to subscription {WebhookId} failed on attempt {Attempt} ({Outcome}); next attempt in {Delay}",
                delivery.EventId, subscription.Id, delivery.Attempt, outcome.Message, delay);
            return;
        }

        await subscriptions.UpdateAsync(subscription.Id, current => current with
        {
            LastFailure = new WebhookFailure(outcome.Status,
                $"Event {delivery.EventId} ({delivery.Type}) was given up after {delivery.Attempt} attempts: {outcome.Message}", now),
        }, cancellationToken);
        await queues.SendToPoisonAsync(delivery, cancellationToken);
        logger.LogWarning("Gave up webhook event {EventId} to subscription {WebhookId} after {Attempt} attempts ({Outcome}); it is in the poison queue {Queue}",
            delivery.EventId, subscription.Id, delivery.Attempt, outcome.Message, queues.DeliveriesQueue + WebhookQueues.PoisonSuffix);
    }
}
