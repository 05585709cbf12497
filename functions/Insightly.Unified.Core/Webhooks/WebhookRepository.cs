using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Insightly.Unified.Webhooks;

/// <summary>Webhook subscriptions in Azure Table storage: one partition, the subscription id as row key, flat columns.</summary>
public sealed class WebhookRepository(TableClient table)
{
    private const string Partition = "webhook";
    private const int MaxUpdateAttempts = 8;

    public async Task<WebhookSubscription?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!WebhookIds.IsSubscriptionId(id))
        {
            return null;
        }

        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response.HasValue ? ToSubscription(response.Value!) : null;
    }

    public async Task InsertAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(ToEntity(subscription), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // The first subscription of a fresh deployment may come before the start-up has created the table.
            await table.CreateIfNotExistsAsync(cancellationToken);
            await table.AddEntityAsync(ToEntity(subscription), cancellationToken);
        }
    }

    /// <summary>Read-modify-write guarded by the row's ETag, retried on a concurrent change. Null when the row is gone.</summary>
    public async Task<WebhookSubscription?> UpdateAsync(
        string id, Func<WebhookSubscription, WebhookSubscription> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
            if (!response.HasValue)
            {
                return null;
            }

            var current = ToSubscription(response.Value!);
            var updated = change(current);
            if (ReferenceEquals(updated, current))
            {
                return current;
            }

            try
            {
                await table.UpdateEntityAsync(ToEntity(updated), response.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return updated;
            }
            catch (RequestFailedException exception) when (exception.Status == 412 && attempt < MaxUpdateAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50 * attempt)), cancellationToken);
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                return null;
            }
        }
    }

    /// <summary>Records a successful delivery without touching any other column (deliveries never race an edit).</summary>
    public async Task MarkDeliveredAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(new TableEntity(Partition, id) { ["LastDeliveryAt"] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // Deleted meanwhile.
        }
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        await table.DeleteEntityAsync(Partition, id, ETag.All, cancellationToken);

    /// <summary>One page of subscriptions; <paramref name="continuation"/> is the storage continuation token.</summary>
    public async Task<(IReadOnlyList<WebhookSubscription> Subscriptions, string? Continuation)> ListAsync(
        string? tenantId, int limit, string? continuation, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        if (tenantId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"TenantId eq {tenantId}");
        }

        await foreach (var page in table.QueryAsync<TableEntity>(filter, limit, cancellationToken: cancellationToken)
                           .AsPages(continuation, limit).WithCancellation(cancellationToken))
        {
            return (page.Values.Select(ToSubscription).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>Every enabled subscription: the fan-out reads them all (a deployment has tens, not millions).</summary>
    public async Task<IReadOnlyList<WebhookSubscription>> ListEnabledAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Enabled eq {true}");
        var all = new List<WebhookSubscription>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, 1000, cancellationToken: cancellationToken))
        {
            all.Add(ToSubscription(entity));
        }

        return all;
    }

    private static TableEntity ToEntity(WebhookSubscription subscription) => new(Partition, subscription.Id)
    {
        ["Url"] = subscription.Url.AbsoluteUri,
        ["Events"] = JsonSerializer.Serialize(subscription.Events, WebhookJsonContext.Default.IReadOnlyListString),
        ["TenantId"] = subscription.TenantId,
        ["Description"] = subscription.Description,
        ["Enabled"] = subscription.Enabled,
        ["CreatedAt"] = subscription.CreatedAt,
        ["UpdatedAt"] = subscription.UpdatedAt,
        ["LastDeliveryAt"] = subscription.LastDeliveryAt,
        ["LastFailureStatus"] = subscription.LastFailure?.Status,
        ["LastFailureMessage"] = subscription.LastFailure?.Message,
        ["LastFailureAt"] = subscription.LastFailure?.At,
    };

    private static WebhookSubscription ToSubscription(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        Url = new Uri(entity.GetString("Url")!),
        Events = JsonSerializer.Deserialize(entity.GetString("Events") ?? "[]", WebhookJsonContext.Default.IReadOnlyListString) ?? [],
        TenantId = entity.GetString("TenantId"),
        Description = entity.GetString("Description"),
        Enabled = entity.GetBoolean("Enabled") ?? false,
        CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? entity.Timestamp ?? DateTimeOffset.MinValue,
        UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? entity.Timestamp ?? DateTimeOffset.MinValue,
        LastDeliveryAt = entity.GetDateTimeOffset("LastDeliveryAt"),
        LastFailure = entity.GetString("LastFailureMessage") is { } message
            ? new WebhookFailure(entity.GetInt32("LastFailureStatus"), message, entity.GetDateTimeOffset("LastFailureAt") ?? DateTimeOffset.MinValue)
            : null,
    };
}
