using System.Text.Json.Serialization;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// An event on its way: what the events queue carries, what an account row keeps until the event is in that
/// queue, and what the outbox keeps for a deleted account. <see cref="Body"/> is the exact JSON every
/// subscription receives (and its signature covers), fixed when the event is raised.
/// </summary>
/// <param name="TenantIds">The tenants whose subscriptions may receive it: the account's, or its former one for the copy of a tenant change sent there.</param>
/// <param name="SubscriptionId">Set only for <c>webhook.test</c>: the one subscription it goes to.</param>
/// <param name="TenantSubscriptionsOnly">
/// Set for that copy for the former tenant: only subscriptions of exactly <paramref name="TenantIds"/> get it, since
/// subscriptions of every tenant get the full event.
/// </param>
public sealed record QueuedEvent(
    string Id, string Type, DateTimeOffset CreatedAt, IReadOnlyList<string?> TenantIds, string Body, string? SubscriptionId = null,
    bool TenantSubscriptionsOnly = false);

/// <summary>One event for one subscription on the deliveries queue; <see cref="Attempt"/> counts from 1.</summary>
public sealed record DeliveryMessage(string EventId, string Type, string SubscriptionId, string Body, int Attempt, DateTimeOffset FirstQueuedAt);

/// <summary>Serialization of the queue messages and stored columns (snake_case, like everything else on the wire).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(QueuedEvent))]
[JsonSerializable(typeof(IReadOnlyList<QueuedEvent>))]
[JsonSerializable(typeof(DeliveryMessage))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
public sealed partial class WebhookJsonContext : JsonSerializerContext;
