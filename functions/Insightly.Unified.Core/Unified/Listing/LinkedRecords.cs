using System.Text.Json;
using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Listing;

/// <summary>
/// Records reached through another record's links, which Insightly cannot list in one call: the ids come from the
/// record's links, then each record is read by id, a few at a time (the account's rate limit paces them anyway).
/// A linked record that is gone by the time it is read (404) is left out.
/// </summary>
public sealed class LinkedRecords(AccountConnector connector)
{
    /// <summary>Records read at once; more would only queue at the account's rate limit.</summary>
    private const int Concurrency = 4;

    /// <summary>The ids of the <paramref name="objectName"/> records (e.g. <c>Opportunity</c>) in these links, ascending (Insightly's order).</summary>
    public static IReadOnlyList<long> IdsIn(JsonElement links, string objectName) =>
        links.ValueKind != JsonValueKind.Array
            ? []
            : [.. links.EnumerateArray()
                .Where(link => InsightlyValues.Text(InsightlyValues.Property(link, "LINK_OBJECT_NAME")) == objectName)
                .Select(link => InsightlyValues.ParseId(InsightlyValues.IdText(InsightlyValues.Property(link, "LINK_OBJECT_ID"))))
                .OfType<long>()
                .Distinct()
                .Order()];

    /// <summary>The ids of the <paramref name="objectName"/> records linked to a record (one call: <c>GET /{collection}/{id}/Links</c>).</summary>
    public async Task<IReadOnlyList<long>> IdsAsync(
        IntegratedAccount account, string collection, long id, string objectName, CancellationToken cancellationToken)
    {
        using var links = await connector.GetDocumentAsync(account, $"{collection}/{id}/Links", cancellationToken);
        return IdsIn(links.Root, objectName);
    }

    /// <summary>The records of <paramref name="collection"/> with these ids, in their order (one call each).</summary>
    public async Task<IReadOnlyList<JsonElement>> GetAsync(
        IntegratedAccount account, string collection, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var records = new JsonElement?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                try
                {
                    using var record = await connector.GetDocumentAsync(account, $"{collection}/{ids[i]}", token);
                    records[i] = record.Root.ValueKind == JsonValueKind.Object ? record.Root.Clone() : null;
                }
                catch (ApiException gone) when (gone.Remote?.Status == 404)
                {
                    // Deleted since it was linked: not one of the records any more.
                }
            });
        return [.. records.OfType<JsonElement>()];
    }
}
