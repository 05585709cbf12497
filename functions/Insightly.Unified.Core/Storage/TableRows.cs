using Azure;
using Azure.Data.Tables;

namespace Insightly.Unified.Storage;

/// <summary>Bulk deletion of the rows a filter selects, for data that has outlived its use.</summary>
public static class TableRows
{
    /// <summary>Table storage takes at most 100 operations of one partition in a transaction.</summary>
    private const int MaxBatch = 100;

    /// <summary>
    /// Deletes every row <paramref name="filter"/> selects, each only if it is unchanged since it was read: a row
    /// written again meanwhile (an expired key taken by a new request, say) stays. Returns how many went.
    /// </summary>
    public static async Task<int> DeleteAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var deleted = 0;
        // Keys only: the ETag comes with every row, and the bodies some rows hold need not travel.
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken)
            .AsPages())
        {
            foreach (var batch in page.Values.GroupBy(row => row.PartitionKey).SelectMany(partition => partition.Chunk(MaxBatch)))
            {
                deleted += await DeleteBatchAsync(table, batch, cancellationToken);
            }
        }

        return deleted;
    }

    private static async Task<int> DeleteBatchAsync(TableClient table, TableEntity[] rows, CancellationToken cancellationToken)
    {
        if (rows.Length > 1)
        {
            try
            {
                await table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag)),
                    cancellationToken);
                return rows.Length;
            }
            catch (TableTransactionFailedException)
            {
                // One of them changed or went meanwhile, which fails the whole transaction: go one by one.
            }
        }

        var deleted = 0;
        foreach (var row in rows)
        {
            try
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                deleted++;
            }
            catch (RequestFailedException exception) when (exception.Status is 404 or 412)
            {
            }
        }

        return deleted;
    }
}
