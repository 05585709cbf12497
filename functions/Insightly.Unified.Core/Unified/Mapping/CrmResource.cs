using System.Text.Json;
using Insightly.Unified.Unified.Lookups;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>What a unified resource allows.</summary>
[Flags]
public enum CrmVerbs
{
    None = 0,
    List = 1,
    Get = 2,
    Create = 4,
    Update = 8,
    Delete = 16,
    Read = List | Get,
    All = List | Get | Create | Update | Delete,
}

/// <summary>How a list filter reaches Insightly.</summary>
public enum FilterKind
{
    /// <summary><c>/{Collection}/Search?field_name={Target}&amp;field_value=…</c> (exact match).</summary>
    Field,

    /// <summary><c>/{Collection}/SearchByTag?tagName=…</c>.</summary>
    Tag,

    /// <summary>The records under a parent, one call a page: <c>/{Target}/{id}/{Collection}</c> (notes, tasks).</summary>
    Parent,

    /// <summary>
    /// The records a parent is linked to: their ids from <c>/{Target}/{id}/Links</c>, then each record by id — one
    /// call for the ids and one per record, so a page holds at most <see cref="ListFilter.LinkedPageSize"/>.
    /// </summary>
    Linked,

    /// <summary>Matched here on column <c>{Target}</c>, for resources listed from the lookups (stages by pipeline).</summary>
    Local,
}

/// <summary>A list filter of the contract, e.g. <c>email</c> on contacts.</summary>
/// <param name="IsId">The value is a record id (digits), checked before anything is sent.</param>
/// <param name="UpdatedAfterUpstream">
/// Insightly filters this list by <c>updated_after_utc</c> (search and a parent's notes); elsewhere records updated
/// before <c>updated_after</c> are dropped here.
/// </param>
public sealed record ListFilter(string Name, FilterKind Kind, string Target, bool IsId = false, bool UpdatedAfterUpstream = false)
{
    /// <summary>The most records a page of a <see cref="FilterKind.Linked"/> list holds: each is one call.</summary>
    public const int LinkedPageSize = 25;

    public static ListFilter Field(string name, string column) => new(name, FilterKind.Field, column, UpdatedAfterUpstream: true);

    public static ListFilter IdField(string name, string column) => new(name, FilterKind.Field, column, IsId: true, UpdatedAfterUpstream: true);

    public static ListFilter Tag(string name = "tag") => new(name, FilterKind.Tag, "");

    /// <summary><c>contact_id</c>, <c>account_id</c>, <c>lead_id</c>, <c>opportunity_id</c> and <c>project_id</c>, each through its parent's sub-collection.</summary>
    public static IReadOnlyList<ListFilter> Parents(bool updatedAfterUpstream) =>
    [
        .. new[] { ("contact_id", "Contacts"), ("account_id", "Organisations"), ("lead_id", "Leads"), ("opportunity_id", "Opportunities"), ("project_id", "Projects") }
            .Select(p => new ListFilter(p.Item1, FilterKind.Parent, p.Item2, IsId: true, UpdatedAfterUpstream: updatedAfterUpstream)),
    ];

    /// <summary>The records linked to a record of <paramref name="parentCollection"/> (ids from its <c>/Links</c>).</summary>
    public static ListFilter Linked(string name, string parentCollection) => new(name, FilterKind.Linked, parentCollection, IsId: true);

    public static ListFilter Local(string name, string column) => new(name, FilterKind.Local, column, IsId: true);
}

/// <summary>
/// One unified resource, described rather than coded: where it lives in Insightly, what it allows, how it
/// filters, and the field maps that carry it both ways. One shared pipeline serves every resource from this;
/// the fields resource and the OpenAPI document are generated from it too.
/// </summary>
public sealed class CrmResource
{
    public const string CrmRoutePrefix = "unified/crm/";

    /// <param name="name">The resource as it appears in the route, e.g. <c>contacts</c>.</param>
    /// <param name="entity">The singular entity name (<c>fields?entity=</c>, references), e.g. <c>contact</c>.</param>
    /// <param name="collection">The Insightly collection, e.g. <c>Contacts</c>.</param>
    /// <param name="idField">The Insightly id column, e.g. <c>CONTACT_ID</c>.</param>
    /// <param name="route">The route below <c>/api</c>, e.g. <c>unified/crm/contacts</c>.</param>
    public CrmResource(string name, string entity, string collection, string idField, string route)
    {
        Name = name;
        Entity = entity;
        Collection = collection;
        IdField = idField;
        IdColumn = new RecordColumn(idField);
        Route = route;
    }

    public string Name { get; }

    public string Entity { get; }

    public string Collection { get; }

    public string IdField { get; }

    internal RecordColumn IdColumn { get; }

    public string Route { get; }

    /// <summary>The singular name Insightly's links use for these records (<c>Contact</c>, <c>Organisation</c>, …).</summary>
    public string? ObjectName { get; init; }

    public CrmVerbs Verbs { get; init; } = CrmVerbs.All;

    public IReadOnlyList<ListFilter> Filters { get; init; } = [];

    public IReadOnlyList<FieldMap> Fields { get; init; } = [];

    /// <summary>Insightly keeps DATE_CREATED_UTC and DATE_UPDATED_UTC (pipelines and stages have none).</summary>
    public bool HasTimestamps { get; init; } = true;

    /// <summary>Records carry CUSTOMFIELDS, typed by <c>/CustomFields/{Collection}</c>.</summary>
    public bool HasCustomFields { get; init; }

    /// <summary>Insightly has <c>/{Collection}/Search</c>, so <c>remote_query[…]</c> and <c>updated_after</c> work.</summary>
    public bool Searchable { get; init; } = true;

    /// <summary>For resources read from the account's lookups rather than listed upstream (stages).</summary>
    public Func<LookupSet, IReadOnlyList<JsonElement>>? ListFromLookups { get; init; }

    /// <summary>Lookups needed to list from them, besides those the field maps need.</summary>
    public LookupKinds ListLookups { get; init; }

    /// <summary>Every lookup this resource's maps name references from.</summary>
    public LookupKinds Lookups => Fields.Aggregate(ListLookups, (all, map) => all | map.Lookups);

    /// <summary>Every unified property: the ones the pipeline adds and those of the field maps.</summary>
    public IEnumerable<UnifiedField> UnifiedFields
    {
        get
        {
            yield return new UnifiedField("id", "string", new() { ["type"] = "string" }) { IsEditable = false };
            if (HasTimestamps)
            {
                yield return new UnifiedField("created_at", "datetime", Schemas.Of("string", "date-time")) { IsEditable = false };
                yield return new UnifiedField("updated_at", "datetime", Schemas.Of("string", "date-time")) { IsEditable = false };
            }

            foreach (var unified in Fields.SelectMany(map => map.Fields))
            {
                yield return unified;
            }
        }
    }

    /// <summary>The HTTP methods of the collection route and of the item route, for the triggers and 405s.</summary>
    public IReadOnlyList<string> CollectionMethods =>
        [.. new[] { (CrmVerbs.List, "GET"), (CrmVerbs.Create, "POST") }.Where(v => Verbs.HasFlag(v.Item1)).Select(v => v.Item2)];

    public IReadOnlyList<string> ItemMethods =>
        [.. new[] { (CrmVerbs.Get, "GET"), (CrmVerbs.Update, "PATCH"), (CrmVerbs.Delete, "DELETE") }.Where(v => Verbs.HasFlag(v.Item1)).Select(v => v.Item2)];
}
