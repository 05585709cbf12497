using System.Text.Json;
using System.Text.Json.Nodes;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// Typed phone numbers, each kept in its own column upstream (<c>PHONE</c> is work, <c>PHONE_MOBILE</c> mobile, …).
/// A written list replaces them all: a column whose type is not in the list is cleared.
/// </summary>
public sealed class PhonesMap((string Column, string Type)[] phones)
    : SingleFieldMap(new UnifiedField("phone_numbers", "phone_list", Schemas.ArrayOf(Schemas.Object(
        ("number", Schemas.Of("string")), ("type", Schemas.Enum(phones.Select(p => p.Type)))))) { Options = [.. phones.Select(p => p.Type)] },
        [.. phones.Select(p => p.Column)])
{
    private readonly RecordColumn[] phoneColumns = [.. phones.Select(p => new RecordColumn(p.Column))];

    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        writer.WriteStartArray();
        for (var i = 0; i < phones.Length; i++)
        {
            if (record[phoneColumns[i]] is var number && InsightlyValues.HasText(number))
            {
                writer.WriteStartObject();
                writer.WritePropertyName(Names.Number);
                number.WriteTo(writer);
                writer.WriteString(Names.Type, phones[i].Type);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        var entries = TypedEntries.Read(Field.Name, value, ["number", "type"], plan);
        if (entries is null)
        {
            return;
        }

        var byType = TypedEntries.ByType(Field.Name, entries, [.. phones.Select(p => p.Type)], plan);
        foreach (var (column, type) in phones)
        {
            plan.Set(column, byType.TryGetValue(type, out var entry) ? TypedEntries.String(Field.Name, entry, "number", plan, required: true) : null);
        }
    }
}

/// <summary>The one email column a contact or lead has, as a list of at most one work address.</summary>
public sealed class EmailsMap(string column)
    : SingleFieldMap(new UnifiedField("email_addresses", "email_list", Schemas.ArrayOf(Schemas.Object(
        ("email", Schemas.Of("string", "email")), ("type", Schemas.Enum(["work"]))))), column)
{
    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        writer.WriteStartArray();
        if (Value(record) is var email && InsightlyValues.HasText(email))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(Names.Email);
            email.WriteTo(writer);
            writer.WriteString(Names.Type, Names.Work);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        var entries = TypedEntries.Read(Field.Name, value, ["email", "type"], plan);
        if (entries is null)
        {
            return;
        }

        if (entries.Count > 1)
        {
            plan.Error(Field.Name, $"'{Field.Name}' holds at most one address here: Insightly keeps a single email per record.");
            return;
        }

        TypedEntries.ByType(Field.Name, entries, ["work"], plan, defaultType: "work");
        plan.Set(Column, entries.Count == 0 ? null : TypedEntries.String(Field.Name, entries[0], "email", plan, required: true));
    }
}

/// <summary>Typed addresses, each a group of five columns upstream (<c>ADDRESS_MAIL_STREET</c>, <c>…_CITY</c>, …).</summary>
public sealed class AddressesMap((string Prefix, string Type)[] addresses)
    : SingleFieldMap(new UnifiedField("addresses", "address_list", Schemas.ArrayOf(Schemas.Object(
        [.. Parts.Select(p => (p.Unified, Schemas.Of("string"))), ("type", Schemas.Enum(addresses.Select(a => a.Type)))]))) { Options = [.. addresses.Select(a => a.Type)] },
        [.. addresses.SelectMany(a => Parts.Select(p => a.Prefix + p.Column))])
{
    private static readonly (string Unified, string Column)[] Parts =
        [("street_1", "STREET"), ("city", "CITY"), ("state", "STATE"), ("postal_code", "POSTCODE"), ("country", "COUNTRY")];

    /// <summary>Each address's column names, made once rather than for every record.</summary>
    private readonly RecordColumn[][] columnsByAddress =
        [.. addresses.Select(a => Parts.Select(p => new RecordColumn(a.Prefix + p.Column)).ToArray())];

    private static readonly JsonEncodedText[] PartNames = [.. Parts.Select(p => JsonEncodedText.Encode(p.Unified))];

    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        writer.WriteStartArray();
        for (var a = 0; a < addresses.Length; a++)
        {
            var columns = columnsByAddress[a];
            var any = false;
            foreach (var column in columns)
            {
                any |= InsightlyValues.HasText(record[column]);
            }

            if (!any)
            {
                continue;
            }

            writer.WriteStartObject();
            for (var p = 0; p < Parts.Length; p++)
            {
                writer.WritePropertyName(PartNames[p]);
                InsightlyValues.WriteText(writer, record[columns[p]]);
            }

            writer.WriteString(Names.Type, addresses[a].Type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        var entries = TypedEntries.Read(Field.Name, value, [.. Parts.Select(p => p.Unified), "type"], plan);
        if (entries is null)
        {
            return;
        }

        var byType = TypedEntries.ByType(Field.Name, entries, [.. addresses.Select(a => a.Type)], plan);
        foreach (var (prefix, type) in addresses)
        {
            byType.TryGetValue(type, out var entry);
            foreach (var (unified, column) in Parts)
            {
                plan.Set(prefix + column, entry is null ? null : TypedEntries.String(Field.Name, entry, unified, plan, required: false));
            }
        }
    }
}

/// <summary>Tags: <c>[{"name": "vip"}]</c> here, <c>TAGS [{"TAG_NAME": "vip"}]</c> upstream, replaced whole.</summary>
public sealed class TagsMap()
    : SingleFieldMap(new UnifiedField("tags", "tag_list", Schemas.ArrayOf(Schemas.Object(("name", Schemas.Of("string"))))), "TAGS")
{
    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        writer.WriteStartArray();
        var tags = Value(record);
        if (tags.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in tags.EnumerateArray())
            {
                if (InsightlyValues.Property(tag, "TAG_NAME") is var name && InsightlyValues.HasText(name))
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName(Names.Name);
                    name.WriteTo(writer);
                    writer.WriteEndObject();
                }
            }
        }

        writer.WriteEndArray();
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        var entries = TypedEntries.Read(Field.Name, value, ["name"], plan);
        if (entries is not null)
        {
            plan.Set(Column, new JsonArray([.. entries.Select(e => (JsonNode?)new JsonObject
            {
                ["TAG_NAME"] = TypedEntries.String(Field.Name, e, "name", plan, required: true),
            })]));
        }
    }
}

/// <summary>
/// The records linked to this one of one kind, e.g. <c>contacts [{"id": "…"}]</c> from the LINKS whose
/// <c>LINK_OBJECT_NAME</c> is <c>Contact</c>. Writing it makes the links of that kind exactly those (through
/// <c>/Links</c> calls after the record is written, see <see cref="WritePlan.LinkCalls"/>) and keeps the others.
/// </summary>
public sealed class LinksMap(string name, string objectName, string entity, bool editable = true)
    : SingleFieldMap(new UnifiedField(name, "reference_list", Schemas.ArrayOf(Schemas.Reference(withName: false))) { IsEditable = editable, ReferenceEntity = entity }, "LINKS")
{
    protected override void ReadValue(Utf8JsonWriter writer, SourceRecord record, MappingContext context)
    {
        writer.WriteStartArray();
        var links = Value(record);
        if (links.ValueKind == JsonValueKind.Array)
        {
            foreach (var link in links.EnumerateArray())
            {
                if (InsightlyValues.Text(InsightlyValues.Property(link, "LINK_OBJECT_NAME")) == objectName
                    && InsightlyValues.IdText(InsightlyValues.Property(link, "LINK_OBJECT_ID")) is { } id)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", id);
                    writer.WriteEndObject();
                }
            }
        }

        writer.WriteEndArray();
    }

    protected override void WriteValue(JsonNode? value, WritePlan plan, MappingContext context)
    {
        if (value is not null and not JsonArray)
        {
            plan.Error(Field.Name, $"'{Field.Name}' must be a list of references like [{{\"id\": \"123\"}}].");
            return;
        }

        var ids = (value as JsonArray ?? []).Select(item => RefMap.ReferencedId(Field.Name, item, plan)).ToList();
        if (ids.All(id => id is not null))
        {
            plan.ReplaceLinks(objectName, entity, ids.Select(id => id!.Value).Distinct());
        }
    }
}

/// <summary>Reading and checking lists of small objects such as phone numbers and addresses.</summary>
internal static class TypedEntries
{
    /// <summary>The list's objects (an empty list for null); null (with the error recorded) when it is not a list of objects with known keys.</summary>
    public static List<JsonObject>? Read(string field, JsonNode? value, string[] keys, WritePlan plan)
    {
        if (value is null)
        {
            return [];
        }

        if (value is not JsonArray items || items.Any(i => i is not JsonObject))
        {
            plan.Error(field, $"'{field}' must be a list of objects.");
            return null;
        }

        var entries = items.Select(i => i!.AsObject()).ToList();
        var unknown = entries.SelectMany(e => e.Select(p => p.Key)).Where(k => !keys.Contains(k)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            plan.Error(field, $"'{field}' entries take only {string.Join(", ", keys)}; not {string.Join(", ", unknown)}.");
            return null;
        }

        return entries;
    }

    /// <summary>The entries by their <c>type</c>, each type known and at most once.</summary>
    public static Dictionary<string, JsonObject> ByType(string field, List<JsonObject> entries, string[] types, WritePlan plan, string? defaultType = null)
    {
        var byType = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var type = entry["type"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>()
                : entry["type"] is null ? defaultType : null;
            if (type is null || !types.Contains(type))
            {
                plan.Error(field, $"Each of '{field}' needs a 'type': one of {string.Join(", ", types)}.");
            }
            else if (!byType.TryAdd(type, entry))
            {
                plan.Error(field, $"'{field}' holds type '{type}' twice; Insightly keeps one per type.");
            }
        }

        return byType;
    }

    public static string? String(string field, JsonObject entry, string key, WritePlan plan, bool required)
    {
        var value = entry[key];
        if (value is null)
        {
            if (required)
            {
                plan.Error(field, $"Each of '{field}' needs '{key}'.");
            }

            return null;
        }

        if (value.GetValueKind() != JsonValueKind.String)
        {
            plan.Error(field, $"'{key}' in '{field}' must be a string.");
            return null;
        }

        return value.GetValue<string>();
    }
}

/// <summary>Property names the collection maps write for every record, encoded once.</summary>
internal static class Names
{
    public static readonly JsonEncodedText Number = JsonEncodedText.Encode("number");
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText Email = JsonEncodedText.Encode("email");
    public static readonly JsonEncodedText Work = JsonEncodedText.Encode("work");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
}
