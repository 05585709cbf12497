using System.Text.Json;
using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Lookups;

/// <summary>How a custom field's value is typed in the unified model.</summary>
public enum CustomFieldKind
{
    Text,
    LongText,
    Url,
    Number,
    Boolean,
    Date,
    DateTime,
    Enum,
    MultiEnum,
    Reference,

    /// <summary>A type this code does not know (Insightly's list is not documented): the value passes through as it is.</summary>
    Other,
}

/// <summary>A custom field's definition from <c>GET /CustomFields/{Collection}</c>.</summary>
public sealed record CustomFieldDefinition(
    string Name, string? Label, string? InsightlyType, CustomFieldKind Kind, bool Editable, bool Visible,
    string? DefaultValue, IReadOnlyList<string> Options, string? JoinObject, JsonElement Raw)
{
    /// <summary>The name as a JSON property name, encoded once rather than for every record.</summary>
    internal JsonEncodedText EncodedName { get; } = JsonEncodedText.Encode(Name);

    /// <summary>Multi-select values are one string of options joined by this.</summary>
    public const char MultiSelectSeparator = ';';

    public static CustomFieldDefinition? Parse(JsonElement definition)
    {
        if (InsightlyValues.Text(InsightlyValues.Property(definition, "FIELD_NAME")) is not { } name)
        {
            return null;
        }

        var type = InsightlyValues.Text(InsightlyValues.Property(definition, "FIELD_TYPE"));
        var options = InsightlyValues.Property(definition, "CUSTOM_FIELD_OPTIONS") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(o => InsightlyValues.Text(InsightlyValues.Property(o, "OPTION_VALUE"))).OfType<string>().ToList()
            : [];
        var (kind, editable) = KindOf(type);
        return new CustomFieldDefinition(
            name,
            InsightlyValues.Text(InsightlyValues.Property(definition, "FIELD_LABEL")),
            type,
            kind,
            editable && InsightlyValues.Property(definition, "EDITABLE").ValueKind != JsonValueKind.False,
            InsightlyValues.Property(definition, "VISIBLE").ValueKind != JsonValueKind.False,
            InsightlyValues.Property(definition, "DEFAULT_VALUE") is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null,
            options,
            InsightlyValues.Text(InsightlyValues.Property(definition, "JOIN_OBJECT")),
            definition);
    }

    /// <summary>
    /// Insightly's FIELD_TYPE names are not documented for v3.1 (v2.2 speaks of text, multi-line text, bit,
    /// dropdown, date, numeric and URL), so names are matched loosely; calculated and auto-number fields are read-only.
    /// </summary>
    private static (CustomFieldKind Kind, bool Editable) KindOf(string? type) =>
        new string((type ?? "").Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant() switch
        {
            "TEXT" or "STRING" => (CustomFieldKind.Text, true),
            "MULTILINETEXT" or "TEXTAREA" or "LONGTEXT" => (CustomFieldKind.LongText, true),
            "URL" => (CustomFieldKind.Url, true),
            "NUMERIC" or "NUMBER" or "DECIMAL" or "INTEGER" or "CURRENCY" or "PERCENT" => (CustomFieldKind.Number, true),
            "BIT" or "BOOLEAN" or "CHECKBOX" => (CustomFieldKind.Boolean, true),
            "DATE" => (CustomFieldKind.Date, true),
            "DATETIME" => (CustomFieldKind.DateTime, true),
            "DROPDOWN" or "PICKLIST" or "SELECT" => (CustomFieldKind.Enum, true),
            "MULTISELECT" or "MULTIPICKLIST" or "MULTIDROPDOWN" => (CustomFieldKind.MultiEnum, true),
            "LOOKUP" or "RELATIONSHIP" => (CustomFieldKind.Reference, true),
            "AUTONUMBER" or "CALCULATED" or "FORMULA" => (CustomFieldKind.Other, false),
            _ => (CustomFieldKind.Other, true),
        };
}

/// <summary>One collection's custom field definitions for one account.</summary>
public sealed class CustomFieldSet(IReadOnlyList<CustomFieldDefinition> definitions)
{
    public static readonly CustomFieldSet None = new([]);

    private readonly Dictionary<string, CustomFieldDefinition> byName = definitions
        .GroupBy(d => d.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public IReadOnlyList<CustomFieldDefinition> All { get; } = definitions;

    public CustomFieldDefinition? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>The definition a record's <c>FIELD_NAME</c> names, found without making a string of it.</summary>
    public CustomFieldDefinition? Find(System.Text.Json.JsonElement name)
    {
        if (name.ValueKind != System.Text.Json.JsonValueKind.String || byName.Count == 0)
        {
            return null;
        }

        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(name);
        if (raw.Length > 2 + 256 || raw[1..^1].Contains((byte)'\\'))
        {
            return name.GetString() is { } text ? Find(text) : null;
        }

        Span<char> chars = stackalloc char[256];
        var length = System.Text.Encoding.UTF8.GetChars(raw[1..^1], chars);
        return byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out var definition) ? definition : null;
    }
}
