using System.Globalization;
using System.Text.RegularExpressions;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Unified.Mapping;
using Microsoft.AspNetCore.Http;

namespace Insightly.Unified.Unified.Listing;

/// <summary>The one field filter a list may use: a contract filter, or a raw <c>remote_query[FIELD]</c>.</summary>
public sealed record ActiveFilter(ListFilter Filter, string Value)
{
    /// <summary>The canonical form bound into the cursor.</summary>
    public string Canonical => $"{Filter.Name}={Value}";
}

/// <summary>
/// What a unified list asks for besides its page (<see cref="PageRequest"/>), checked against what the resource
/// supports: <c>updated_after</c>, <c>include_remote_data</c>, and at most one field filter (Insightly searches
/// one exact field). Anything else is refused with the contract's 400s before anything is sent upstream.
/// </summary>
public sealed partial record ListQuery(ActiveFilter? Filter, DateTime? UpdatedAfter, bool IncludeRemoteData)
{
    private const string RemoteQuery = "remote_query";

    /// <summary>Parameters every list takes besides the resource's filters (<c>code</c> is the function key).</summary>
    private static readonly string[] Common = ["integrated_account_id", "limit", "next_cursor", "updated_after", "include_remote_data", "code"];

    /// <summary>What the cursor is bound to besides resource and account: the filter and the date.</summary>
    public string Canonical =>
        $"{Filter?.Canonical}|updated_after={(UpdatedAfter is { } after ? InsightlyValues.ToUnifiedTimestamp(after) : "")}";

    public static ListQuery Parse(CrmResource resource, IQueryCollection query, params string[] extraParameters)
    {
        var filters = new List<ActiveFilter>();
        foreach (var (name, _) in query)
        {
            if (Common.Contains(name, StringComparer.Ordinal) || extraParameters.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            if (resource.Filters.FirstOrDefault(f => f.Name == name) is { } filter)
            {
                filters.Add(new ActiveFilter(filter, FilterValue(filter, query.OptionalString(name)!)));
            }
            else if (RemoteField().Match(name) is { Success: true } remote)
            {
                if (!resource.Searchable)
                {
                    throw Unsupported(name, $"{resource.Name} cannot be searched in Insightly, so '{name}' is not supported.");
                }

                var field = remote.Groups["field"].Value;
                filters.Add(new ActiveFilter(ListFilter.Field(name, field), query.OptionalString(name)!));
            }
            else if (name.StartsWith(RemoteQuery, StringComparison.Ordinal))
            {
                throw ApiException.InvalidParameter(name, $"'{name}' is not a remote query: use remote_query[FIELD_NAME]=value with an Insightly field name such as EMAIL_ADDRESS or Segment__c.");
            }
            else
            {
                var supported = resource.Filters.Select(f => f.Name).Concat(resource.Searchable ? [RemoteQuery + "[FIELD]"] : []);
                throw Unsupported(name, $"'{name}' is not a parameter of {resource.Name}. Filters it takes: {string.Join(", ", supported.DefaultIfEmpty("none"))}.");
            }
        }

        if (filters.Count > 1)
        {
            throw Unsupported(filters[1].Filter.Name,
                $"Insightly searches one exact field at a time; use one of {string.Join(", ", filters.Select(f => f.Filter.Name))}, not several.");
        }

        var updatedAfter = ParseUpdatedAfter(resource, query.OptionalString("updated_after"));
        var active = filters.SingleOrDefault();
        if (updatedAfter is not null && active?.Filter.Kind == FilterKind.Tag)
        {
            throw Unsupported("updated_after", "Insightly's tag search takes no date: use 'tag' or 'updated_after', not both.");
        }

        return new ListQuery(active, updatedAfter, Boolean(query, "include_remote_data", true));
    }

    public static bool Boolean(IQueryCollection query, string name, bool defaultValue) => query.OptionalString(name) switch
    {
        null => defaultValue,
        "true" => true,
        "false" => false,
        _ => throw ApiException.InvalidParameter(name, $"'{name}' must be true or false."),
    };

    private static string FilterValue(ListFilter filter, string value) =>
        filter.IsId && InsightlyValues.ParseId(value) is null
            ? throw ApiException.InvalidParameter(filter.Name, $"'{filter.Name}' must be a record id (digits), like 101.")
            : value;

    private static DateTime? ParseUpdatedAfter(CrmResource resource, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!resource.HasTimestamps || !resource.Searchable)
        {
            throw Unsupported("updated_after", $"Insightly keeps no update time for {resource.Name}, so 'updated_after' is not supported.");
        }

        return InsightlyValues.ParseUnifiedTimestamp(value)
            ?? throw ApiException.InvalidParameter("updated_after", "'updated_after' must be an ISO 8601 timestamp with a zone, like 2024-02-03T04:05:06Z.");
    }

    private static ApiException Unsupported(string parameter, string message) =>
        new(400, ErrorCodes.UnsupportedFilter, message, new System.Text.Json.Nodes.JsonObject { ["parameter"] = parameter });

    /// <summary><c>remote_query[FIELD]</c>, FIELD an Insightly field name (standard or custom <c>…__c</c>).</summary>
    [GeneratedRegex(@"^remote_query\[(?<field>[A-Za-z][A-Za-z0-9_]{0,127})\]\z", RegexOptions.CultureInvariant)]
    private static partial Regex RemoteField();
}
