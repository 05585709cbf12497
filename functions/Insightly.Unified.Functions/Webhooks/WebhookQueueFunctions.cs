using Insightly.Unified.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Webhooks;

/// <summary>
/// The two queue-triggered functions of the webhooks, on <c>AzureWebJobsStorage</c>'s queues. A message whose function
/// throws is retried by the host (<c>extensions.queues</c> in host.json) and lands in <c>{queue}-poison</c> after
/// <c>maxDequeueCount</c> tries; delivery retries with backoff are re-enqueued messages of their own.
/// </summary>
public sealed class WebhookQueueFunctions(WebhookDispatcher dispatcher)
{
    public const string EventsQueue = "%" + WebhookOptions.EventsQueueSetting + "%";
    public const string DeliveriesQueue = "%" + WebhookOptions.DeliveriesQueueSetting + "%";

    [Function("WebhookFanOut")]
    public Task FanOut([QueueTrigger(EventsQueue)] string message, CancellationToken cancellationToken) =>
        dispatcher.FanOutAsync(message, cancellationToken);

    [Function("WebhookDelivery")]
    public Task Deliver([QueueTrigger(DeliveriesQueue)] string message, CancellationToken cancellationToken) =>
        dispatcher.DeliverAsync(message, cancellationToken);
}
