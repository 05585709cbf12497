using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace FakeInsightly;

/// <summary>
/// Lists, <c>/Search</c> and <c>/SearchByTag</c>: filters first, then <c>skip</c>/<c>top</c> paging over the rows in
/// ascending id order, <c>X-Total-Count</c> (all matching rows) with <c>count_total=true</c>, and brief mode.
/// </summary>
internal static class Reads
{
    public const int DefaultTop = 100;
    public const int MaxTop = 500;

    private static readonly string[] BriefDropsWithoutSchema = ["CUSTOMFIELDS", "TAGS", "DATES", "EMAILDOMAINS", "LINKS"];

    /// <summary>A page of <paramref name="rows"/>, honouring skip, top, count_total, brief and (where documented) updated_after_utc.</summary>
    public static FakeResponse Page(IEnumerable<JsonObject> rows, CollectionSchema? schema, IQueryCollection query, bool honourUpdatedAfter = true)
    {
        var skip = Math.Max(0, Int(query, "skip") ?? 0);
        var top = Math.Clamp(Int(query, "top") ?? DefaultTop, 0, MaxTop);
        var brief = Bool(query, "brief") ?? false;
        if (honourUpdatedAfter && Given(query, "updated_after_utc") is { } after)
        {
            var threshold = Dates.ParseQuery("updated_after_utc", after);
            if (schema is null || schema.HasField("DATE_UPDATED_UTC"))
            {
                rows = rows.Where(r => Dates.Read(r["DATE_UPDATED_UTC"]) > threshold);
            }
        }

        var matching = rows.ToList();
        var drop = schema?.Fields.Values.Where(f => f.IsSubCollection).Select(f => f.Name).ToArray() ?? BriefDropsWithoutSchema;
        var page = matching.Skip(skip).Take(top).Select(r => (JsonNode?)Shape(r, brief ? drop : [])).ToArray();
        var response = FakeResponse.Ok(new JsonArray(page));
        return Bool(query, "count_total") == true
            ? response.With("X-Total-Count", matching.Count.ToString(CultureInfo.InvariantCulture))
            : response;
    }

    /// <summary><c>field_name</c>/<c>field_value</c>: exact match on one standard or custom (<c>…__c</c>) field.</summary>
    public static Func<JsonObject, bool> FieldFilter(FakeInstance store, CollectionSchema schema, IQueryCollection query)
    {
        var name = Given(query, "field_name");
        var value = Given(query, "field_value");
        if (name is null)
        {
            return value is null ? _ => true : throw Refuse.BadRequest("field_value was given without field_name; send both.");
        }

        if (value is null)
        {
            throw Refuse.BadRequest($"field_name '{name}' was given without field_value; send both.");
        }

        if (schema.Fields.TryGetValue(name, out var field) && !field.IsSubCollection)
        {
            return r => JsonFacts.MatchesText(r[name], value);
        }

        if (store.CustomField(schema.Name, name) is not null)
        {
            return r => (r["CUSTOMFIELDS"] as JsonArray ?? []).Any(c =>
                JsonFacts.AsString(c?["FIELD_NAME"]) == name && JsonFacts.MatchesText(c?["FIELD_VALUE"], value));
        }

        throw Refuse.BadRequest($"'{name}' is not a searchable field of {schema.ObjectName}; use an upper-case field name or a custom field's FIELD_NAME.");
    }

    /// <summary><c>/SearchByTag?tagName=</c>: records carrying that tag (exact match).</summary>
    public static Func<JsonObject, bool> TagFilter(IQueryCollection query)
    {
        var tag = Given(query, "tagName") ?? throw Refuse.BadRequest("tagName is required.");
        return r => (r["TAGS"] as JsonArray ?? []).Any(t => JsonFacts.AsString(t?["TAG_NAME"]) == tag);
    }

    public static bool? Bool(IQueryCollection query, string name) =>
        Given(query, name) switch
        {
            null => null,
            var v when bool.TryParse(v, out var b) => b,
            var v => throw Refuse.BadRequest($"The value '{v}' is not valid for {name}; use true or false."),
        };

    /// <summary>A query parameter with a non-empty value, or null.</summary>
    public static string? Given(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && !StringValues.IsNullOrEmpty(values) && values[0] is { Length: > 0 } value ? value : null;

    private static int? Int(IQueryCollection query, string name) =>
        Given(query, name) switch
        {
            null => null,
            var v when int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
            var v => throw Refuse.BadRequest($"The value '{v}' is not valid for {name}; use an integer."),
        };

    private static JsonObject Shape(JsonObject record, string[] drop)
    {
        var copy = record.DeepClone().AsObject();
        foreach (var name in drop)
        {
            copy.Remove(name);
        }

        return copy;
    }
}
