using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.Unified.Lookups;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// <c>custom_fields {FIELD_NAME: value}</c> both ways, typed by each field's definition: dates as
/// <c>yyyy-MM-dd</c>, datetimes as ISO 8601 with <c>Z</c>, numbers, booleans, multi-selects as arrays and
/// lookups as id strings. A value whose field is not defined (any more) passes through as Insightly sent it.
/// </summary>
public static class CustomFieldValues
{
    public const string Property = "custom_fields";

    private static readonly RecordColumn CustomFieldsColumn = new("CUSTOMFIELDS");

    public static void Read(Utf8JsonWriter writer, SourceRecord record, CustomFieldSet definitions)
    {
        writer.WriteStartObject(Property);
        var values = record[CustomFieldsColumn];
        if (values.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in values.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var name = item.TryGetProperty("FIELD_NAME"u8, out var found) ? found : default;
                var value = item.TryGetProperty("FIELD_VALUE"u8, out found) ? found : default;
                if (definitions.Find(name) is { } definition)
                {
                    writer.WritePropertyName(definition.EncodedName);
                    WriteValue(writer, value, definition);
                }
                else if (InsightlyValues.Text(name) is { } undefined)
                {
                    writer.WritePropertyName(undefined);
                    WriteValue(writer, value, null);
                }
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Turns the written <c>custom_fields</c> object into CUSTOMFIELDS, refusing unknown, read-only and mistyped fields.</summary>
    public static void Write(JsonNode? value, WritePlan plan, CustomFieldSet definitions)
    {
        if (value is not JsonObject fields)
        {
            plan.Error(Property, $"'{Property}' must be an object of custom field names and values.");
            return;
        }

        var items = new JsonArray();
        foreach (var (name, fieldValue) in fields)
        {
            var path = $"{Property}.{name}";
            if (definitions.Find(name) is not { } definition)
            {
                plan.Error(path, $"'{name}' is not a custom field of this record type; GET /api/unified/crm/fields lists them.");
            }
            else if (!definition.Editable)
            {
                plan.Error(path, $"'{name}' is read-only in Insightly.");
            }
            else if (ToInsightly(definition, fieldValue, path, plan) is var (converted, ok) && ok)
            {
                items.Add(new JsonObject { ["FIELD_NAME"] = name, ["FIELD_VALUE"] = converted });
            }
        }

        if (items.Count > 0)
        {
            plan.Set("CUSTOMFIELDS", items);
        }
    }

    /// <summary>The unified type name of a custom field, for the fields resource.</summary>
    public static string TypeName(CustomFieldKind kind) => kind switch
    {
        CustomFieldKind.Text => "string",
        CustomFieldKind.LongText => "text",
        CustomFieldKind.Url => "url",
        CustomFieldKind.Number => "number",
        CustomFieldKind.Boolean => "boolean",
        CustomFieldKind.Date => "date",
        CustomFieldKind.DateTime => "datetime",
        CustomFieldKind.Enum => "enum",
        CustomFieldKind.MultiEnum => "multi_enum",
        CustomFieldKind.Reference => "reference",
        _ => "unknown",
    };

    private static void WriteValue(Utf8JsonWriter writer, JsonElement value, CustomFieldDefinition? definition)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
            return;
        }

        switch (definition?.Kind)
        {
            case CustomFieldKind.Date or CustomFieldKind.DateTime:
                // "", the zero date and anything else that is no date read as null, as standard date columns do:
                // Insightly's own format never reaches a unified field.
                InsightlyValues.WriteDateTime(writer, value, dateOnly: definition.Kind == CustomFieldKind.Date);
                return;
            case CustomFieldKind.Number when value.ValueKind == JsonValueKind.String
                                             && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number):
                writer.WriteNumberValue(number);
                return;
            case CustomFieldKind.Boolean when value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var flag):
                writer.WriteBooleanValue(flag);
                return;
            case CustomFieldKind.MultiEnum when value.ValueKind == JsonValueKind.String:
                writer.WriteStartArray();
                foreach (var option in value.GetString()!.Split(CustomFieldDefinition.MultiSelectSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    writer.WriteStringValue(option);
                }

                writer.WriteEndArray();
                return;
            case CustomFieldKind.Reference when InsightlyValues.HasId(value):
                InsightlyValues.WriteId(writer, value);
                return;
            default:
                value.WriteTo(writer);
                return;
        }
    }

    private static (JsonNode? Value, bool Ok) ToInsightly(CustomFieldDefinition definition, JsonNode? value, string path, WritePlan plan)
    {
        if (value is null)
        {
            return (null, true);
        }

        var kind = value.GetValueKind();
        var text = kind == JsonValueKind.String ? value.GetValue<string>() : null;
        switch (definition.Kind)
        {
            case CustomFieldKind.Text or CustomFieldKind.LongText or CustomFieldKind.Url when text is not null:
                return (text, true);
            case CustomFieldKind.Number when kind == JsonValueKind.Number:
                return (value.DeepClone(), true);
            case CustomFieldKind.Boolean when kind is JsonValueKind.True or JsonValueKind.False:
                return (value.DeepClone(), true);
            case CustomFieldKind.Date when text is not null && InsightlyValues.ParseUnifiedDate(text) is { } day:
                return (InsightlyValues.ToInsightlyDateTime(day), true);
            case CustomFieldKind.DateTime when text is not null && InsightlyValues.ParseUnifiedTimestamp(text) is { } at:
                return (InsightlyValues.ToInsightlyDateTime(at), true);
            case CustomFieldKind.Enum when text is not null && (definition.Options.Count == 0 || definition.Options.Contains(text)):
                return (text, true);
            case CustomFieldKind.MultiEnum when value is JsonArray options && options.All(o => o?.GetValueKind() == JsonValueKind.String
                                                                                           && (definition.Options.Count == 0 || definition.Options.Contains(o.GetValue<string>()))):
                return (string.Join(CustomFieldDefinition.MultiSelectSeparator, options.Select(o => o!.GetValue<string>()).Distinct()), true);
            case CustomFieldKind.Reference when InsightlyValues.ParseId(text) is { } id:
                return (id, true);
            case CustomFieldKind.Other when kind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                return (value.DeepClone(), true);
        }

        plan.Error(path, definition.Kind == CustomFieldKind.Date && text is not null
            ? InsightlyValues.DateExpected(definition.Name, text)
            : $"'{definition.Name}' takes {Expected(definition)}, not {WritePlan.Describe(value)}.");
        return (null, false);
    }

    private static string Expected(CustomFieldDefinition definition) => definition.Kind switch
    {
        CustomFieldKind.Text or CustomFieldKind.LongText => "a string",
        CustomFieldKind.Url => "a URL string",
        CustomFieldKind.Number => "a number",
        CustomFieldKind.Boolean => "true or false",
        CustomFieldKind.Date => "a date like 2024-02-03",
        CustomFieldKind.DateTime => "an ISO 8601 timestamp like 2024-02-03T04:05:06Z",
        CustomFieldKind.Enum => $"one of {string.Join(", ", definition.Options)}",
        CustomFieldKind.MultiEnum => $"a list of {string.Join(", ", definition.Options)}",
        CustomFieldKind.Reference => "a record id string like \"123\"",
        _ => "a string, number or boolean",
    };
}
