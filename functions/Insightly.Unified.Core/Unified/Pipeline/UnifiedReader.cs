using System.Globalization;
using System.Text.Json;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Unified.Listing;
using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Insightly.Unified.Unified.Pipeline;

/// <summary>
/// Lists and single records. A unified page is one Insightly call (<c>top</c> = <c>limit</c>,
/// <c>count_total=true</c>, so the last page is known without an empty extra call): reading N records costs
/// ⌈N/limit⌉ calls. Lists of the records linked to another record are the exception: a page of at most
/// <see cref="ListFilter.LinkedPageSize"/> costs one call for the links and one per record. The offset travels in a
/// signed cursor bound to the resource, account and filters.
/// </summary>
public sealed class UnifiedReader(AccountConnector connector, AccountLookups lookups, PageCursors cursors, LinkedRecords linked)
{
    public async Task<IActionResult> ListAsync(CrmResource resource, IntegratedAccount account, IQueryCollection query, CancellationToken cancellationToken)
    {
        var list = ListQuery.Parse(resource, query);
        var page = await PageRequest.ReadAsync(query, $"{resource.Route}|{account.Id}|{list.Canonical}", cursors, cancellationToken);
        // The lookups first: they are nearly always cached, and a failure then leaves no page to dispose.
        var mapping = await ContextAsync(resource, account, list.IncludeRemoteData, cancellationToken);
        if (list.Filter?.Filter.Kind == FilterKind.Linked)
        {
            page = page with { Limit = Math.Min(page.Limit, ListFilter.LinkedPageSize) };
        }

        var (records, total, source) = resource.ListFromLookups is { } fromLookups
            ? ListLocally(fromLookups(mapping.Lookups), list, page)
            : list.Filter is { Filter.Kind: FilterKind.Linked } filter
                ? await ListLinkedAsync(resource, account, filter, page, cancellationToken)
                : await ListUpstreamAsync(resource, account, list, page, cancellationToken);
        var next = await page.NextCursorAsync(cursors, page.NextOffset(total, records.Count), cancellationToken);
        return new JsonWriterResult(200, (writer, flush) => PageEnvelope.WriteAsync(writer, records, (w, record) =>
        {
            if (!UpdatedSince(record, list.UpdatedAfter))
            {
                return false;
            }

            RecordMapper.Write(w, resource, record, mapping);
            return true;
        }, next, flush), source);
    }

    public async Task<IActionResult> GetAsync(
        CrmResource resource, IntegratedAccount account, long id, IQueryCollection query, CancellationToken cancellationToken)
    {
        var includeRemoteData = ListQuery.Boolean(query, "include_remote_data", true);
        var mapping = await ContextAsync(resource, account, includeRemoteData, cancellationToken);
        var record = await connector.GetDocumentAsync(account, $"{resource.Collection}/{id}", cancellationToken);
        return new JsonWriterResult(200, (writer, _) =>
        {
            RecordMapper.Write(writer, resource, record.Root, mapping);
            return Task.CompletedTask;
        }, record);
    }

    /// <summary>The lookups and custom field definitions mapping this resource needs, from the per-account caches.</summary>
    public async Task<MappingContext> ContextAsync(CrmResource resource, IntegratedAccount account, bool includeRemoteData, CancellationToken cancellationToken)
    {
        var named = lookups.GetAsync(account, resource.Lookups, cancellationToken);
        var custom = resource.HasCustomFields ? await lookups.CustomFieldsAsync(account, resource.Collection, cancellationToken) : CustomFieldSet.None;
        return new MappingContext(await named, custom, includeRemoteData, lookups.ChoicesOf(account.Id));
    }

    private async Task<(IReadOnlyList<JsonElement> Records, long? Total, IDisposable Source)> ListUpstreamAsync(
        CrmResource resource, IntegratedAccount account, ListQuery list, PageRequest page, CancellationToken cancellationToken)
    {
        var answer = await connector.GetDocumentAsync(account, UpstreamPath(resource, list, page), cancellationToken);
        var records = answer.Root.ValueKind == JsonValueKind.Array ? answer.Root.EnumerateArray().ToList() : [];
        return (records, answer.TotalCount, answer);
    }

    /// <summary>A page of the records a parent is linked to: its links' ids in ascending order, then each record of the page by id.</summary>
    private async Task<(IReadOnlyList<JsonElement> Records, long? Total, IDisposable? Source)> ListLinkedAsync(
        CrmResource resource, IntegratedAccount account, ActiveFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        var ids = await linked.IdsAsync(account, filter.Filter.Target, long.Parse(filter.Value, CultureInfo.InvariantCulture), resource.ObjectName!, cancellationToken);
        var records = await linked.GetAsync(account, resource.Collection, [.. ids.Skip(page.Offset).Take(page.Limit)], cancellationToken);
        return (records, ids.Count, null);
    }

    private static (IReadOnlyList<JsonElement> Records, long? Total, IDisposable? Source) ListLocally(
        IReadOnlyList<JsonElement> all, ListQuery list, PageRequest page)
    {
        var matching = list.Filter is { Filter.Kind: FilterKind.Local } local
            ? all.Where(r => InsightlyValues.IdText(InsightlyValues.Property(r, local.Filter.Target)) == local.Value).ToList()
            : all;
        return ([.. matching.Skip(page.Offset).Take(page.Limit)], matching.Count, null);
    }

    /// <summary>Where one page comes from: the collection, its Search (one exact field, or a date), its tag search, or a parent's notes or tasks.</summary>
    public static string UpstreamPath(CrmResource resource, ListQuery list, PageRequest page)
    {
        var parameters = new List<string>();
        var path = resource.Collection;
        switch (list.Filter)
        {
            case { Filter.Kind: FilterKind.Field } field:
                path += "/Search";
                parameters.Add("field_name=" + Uri.EscapeDataString(field.Filter.Target));
                parameters.Add("field_value=" + Uri.EscapeDataString(field.Value));
                break;
            case { Filter.Kind: FilterKind.Tag } tag:
                path += "/SearchByTag";
                parameters.Add("tagName=" + Uri.EscapeDataString(tag.Value));
                break;
            case { Filter.Kind: FilterKind.Parent } parent:
                path = $"{parent.Filter.Target}/{parent.Value}/{resource.Collection}";
                break;
            case null when list.UpdatedAfter is not null:
                path += "/Search";
                break;
        }

        if (list.UpdatedAfter is { } after && list.Filter?.Filter.UpdatedAfterUpstream != false)
        {
            // Insightly's filter is strictly after, at one-second resolution: ask from a second earlier and drop what is older.
            var from = new DateTime(after.Ticks - after.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(-1);
            parameters.Add("updated_after_utc=" + Uri.EscapeDataString(InsightlyValues.ToUnifiedTimestamp(from)));
        }

        parameters.Add(string.Create(CultureInfo.InvariantCulture, $"skip={page.Offset}"));
        parameters.Add(string.Create(CultureInfo.InvariantCulture, $"top={page.Limit}"));
        parameters.Add("count_total=true");
        return path + "?" + string.Join('&', parameters);
    }

    private static bool UpdatedSince(JsonElement record, DateTime? after) =>
        after is null || InsightlyValues.ParseInsightlyDateTime(InsightlyValues.Property(record, "DATE_UPDATED_UTC")) >= after;

}
