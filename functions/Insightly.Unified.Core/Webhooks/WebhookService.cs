using System.Text.Json.Nodes;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// Webhook subscriptions (contract section 8): the row in Table storage, the signing secret in the secret store beside
/// the API keys. The secret leaves the app twice only — in the answers to creating the subscription and to rotating
/// its secret — and is never logged.
/// </summary>
public sealed class WebhookService(
    WebhookRepository subscriptions,
    ISecretStore secrets,
    WebhookQueues queues,
    PageCursors cursors,
    IOptions<SecretStoreOptions> secretStore,
    TimeProvider time,
    ILogger<WebhookService> logger)
{
    /// <summary>Loopback http receivers are for local development, as with link redirects: only with the development secret store.</summary>
    private bool Development => secretStore.Value.Uri is null;

    public async Task<WebhookSubscriptionWithSecret> CreateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var request = WebhookRequest.ParseCreate(body, Development);
        var now = time.GetUtcNow();
        var subscription = new WebhookSubscription
        {
            Id = WebhookIds.NewSubscriptionId(),
            Url = request.Url!,
            Events = request.Events!,
            TenantId = request.TenantId,
            Description = request.Description,
            Enabled = request.Enabled ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };

        // Both writes or neither, even if the caller hangs up: the secret first, so no row ever lacks one.
        var secret = WebhookSigning.NewSecret();
        var secretName = WebhookIds.SecretName(subscription.Id);
        await secrets.SetAsync(secretName, secret, WebhookIds.SecretTags(subscription.Id), CancellationToken.None);
        try
        {
            await subscriptions.InsertAsync(subscription, CancellationToken.None);
        }
        catch (Exception)
        {
            await TryDeleteSecretAsync(subscription.Id);
            throw;
        }

        logger.LogInformation("Created webhook subscription {WebhookId} for {EventTypes}", subscription.Id, string.Join(",", subscription.Events));
        return new WebhookSubscriptionWithSecret(subscription, secret);
    }

    public async Task<(IReadOnlyList<WebhookSubscription> Subscriptions, string? NextCursor)> ListAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        var page = await PageRequest.ReadAsync(query, "webhooks", cursors, cancellationToken);
        var (found, continuation) = await subscriptions.ListAsync(null, page.Limit, page.Position, cancellationToken);
        return (found, await page.NextCursorAsync(cursors, continuation, cancellationToken));
    }

    public async Task<WebhookSubscription> GetAsync(string id, CancellationToken cancellationToken) =>
        await subscriptions.FindAsync(id, cancellationToken) ?? throw NotFound(id);

    public async Task<WebhookSubscription> UpdateAsync(string id, JsonObject body, CancellationToken cancellationToken)
    {
        var request = WebhookRequest.ParseUpdate(body, Development);
        var now = time.GetUtcNow();
        var updated = await subscriptions.UpdateAsync(id, current => current with
        {
            Url = request.Url ?? current.Url,
            Events = request.Events ?? current.Events,
            TenantId = request.SetsTenantId ? request.TenantId : current.TenantId,
            Description = request.SetsDescription ? request.Description : current.Description,
            Enabled = request.Enabled ?? current.Enabled,
            UpdatedAt = now,
        }, CancellationToken.None) ?? throw NotFound(id);
        logger.LogInformation("Updated webhook subscription {WebhookId}", id);
        return updated;
    }

    public async Task<WebhookReference> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var subscription = await GetAsync(id, cancellationToken);
        // The secret first: should the row delete fail, a retry finds the row and finishes; no secret is stranded.
        await secrets.DeleteAsync(WebhookIds.SecretName(subscription.Id), cancellationToken);
        await subscriptions.DeleteAsync(subscription.Id, CancellationToken.None);
        logger.LogInformation("Deleted webhook subscription {WebhookId}", id);
        return new WebhookReference(subscription.Id);
    }

    /// <summary>A new secret version; deliveries read the current version each time, so the old one stops signing at once.</summary>
    public async Task<WebhookSubscriptionWithSecret> RotateSecretAsync(string id, CancellationToken cancellationToken)
    {
        var subscription = await GetAsync(id, cancellationToken);
        var secret = WebhookSigning.NewSecret();
        try
        {
            await secrets.SetAsync(WebhookIds.SecretName(id), secret, WebhookIds.SecretTags(id), CancellationToken.None);
        }
        catch (SecretDeletedException)
        {
            throw NotFound(id);
        }

        var now = time.GetUtcNow();
        subscription = await subscriptions.UpdateAsync(id, current => current with { UpdatedAt = now }, CancellationToken.None) ?? throw NotFound(id);
        logger.LogInformation("Rotated the signing secret of webhook subscription {WebhookId}", id);
        return new WebhookSubscriptionWithSecret(subscription, secret);
    }

    /// <summary>Queues a <c>webhook.test</c> event for this subscription alone (delivered even while it is disabled).</summary>
    public async Task<WebhookTestQueued> TestAsync(string id, CancellationToken cancellationToken)
    {
        var subscription = await GetAsync(id, cancellationToken);
        var eventId = WebhookIds.NewEventId();
        var now = time.GetUtcNow();
        var body = AccountEvents.Envelope(eventId, WebhookEventTypes.Test, now, writer =>
        {
            writer.WriteStartObject("webhook");
            writer.WriteString("id", subscription.Id);
            writer.WriteEndObject();
        });
        await queues.SendEventAsync(new QueuedEvent(eventId, WebhookEventTypes.Test, now, [subscription.TenantId], body, subscription.Id), CancellationToken.None);
        logger.LogInformation("Queued webhook event {EventId} webhook.test for subscription {WebhookId}", eventId, id);
        return new WebhookTestQueued(subscription.Id, eventId);
    }

    private async Task TryDeleteSecretAsync(string id)
    {
        try
        {
            await secrets.DeleteAsync(WebhookIds.SecretName(id), CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogError("Could not remove the secret of the half-created webhook subscription {WebhookId}: {ErrorType}", id, exception.GetType().Name);
        }
    }

    private static ApiException NotFound(string id) =>
        new(404, ErrorCodes.NotFound, $"No webhook subscription has the id '{id}'.", new JsonObject { ["webhook_id"] = id });
}
