using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// The two Storage queues of the webhooks: events (one message per account event, fanned out by <c>WebhookFanOut</c>) and
/// deliveries (one message per event and subscription, sent by <c>WebhookDelivery</c>, re-sent with a delay to retry).
/// Messages are base64-encoded, as the Functions queue trigger expects by default. A queue that does not exist yet is
/// created on first use, so nothing depends on start-up order.
/// </summary>
public sealed class WebhookQueues(QueueServiceClient service, IOptions<WebhookOptions> options)
{
    public const string PoisonSuffix = "-poison";

    public string EventsQueue => options.Value.EventsQueue;

    public string DeliveriesQueue => options.Value.DeliveriesQueue;

    public Task SendEventAsync(QueuedEvent queued, CancellationToken cancellationToken) =>
        SendAsync(EventsQueue, JsonSerializer.Serialize(queued, WebhookJsonContext.Default.QueuedEvent), null, cancellationToken);

    public Task SendDeliveryAsync(DeliveryMessage delivery, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(DeliveriesQueue, JsonSerializer.Serialize(delivery, WebhookJsonContext.Default.DeliveryMessage), delay, cancellationToken);

    /// <summary>Where a delivery goes when its retries are spent: the queue the Functions host also poisons into.</summary>
    public Task SendToPoisonAsync(DeliveryMessage delivery, CancellationToken cancellationToken) =>
        SendAsync(DeliveriesQueue + PoisonSuffix, JsonSerializer.Serialize(delivery, WebhookJsonContext.Default.DeliveryMessage), null, cancellationToken);

    /// <summary>Creates both queues and their poison queues (start-up; failures are the caller's to log).</summary>
    public async Task CreateAllAsync(CancellationToken cancellationToken)
    {
        foreach (var name in new[] { EventsQueue, EventsQueue + PoisonSuffix, DeliveriesQueue, DeliveriesQueue + PoisonSuffix })
        {
            await service.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }

    private async Task SendAsync(string queueName, string text, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var queue = service.GetQueueClient(queueName);
        try
        {
            await queue.SendMessageAsync(text, delay, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await queue.SendMessageAsync(text, delay, cancellationToken: cancellationToken);
        }
    }
}
