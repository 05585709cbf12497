using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// Events whose account row is gone (<c>integrated_account.deleted</c>) and whose enqueue failed: kept here until the
/// credential check sends them. Events of live accounts wait on the account row instead, written with the change.
/// </summary>
public sealed class WebhookOutbox(TableClient table)
{
    private const string Partition = "event";

    public Task AddAsync(QueuedEvent queued, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(new TableEntity(Partition, queued.Id)
        {
            ["Event"] = JsonSerializer.Serialize(queued, WebhookJsonContext.Default.QueuedEvent),
            ["CreatedAt"] = queued.CreatedAt,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<QueuedEvent>> ListAsync(CancellationToken cancellationToken)
    {
        var events = new List<QueuedEvent>();
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
            {
                events.Add(JsonSerializer.Deserialize(entity.GetString("Event")!, WebhookJsonContext.Default.QueuedEvent)!);
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // The table is created at start-up; until then there is nothing in it.
        }

        return events;
    }

    public async Task RemoveAsync(string eventId, CancellationToken cancellationToken) =>
        await table.DeleteEntityAsync(Partition, eventId, ETag.All, cancellationToken);
}
