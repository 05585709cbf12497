using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>
/// The <c>FIELD_TYPE</c> values the fake uses in <c>GET /CustomFields/{Collection}</c>, and what each accepts as
/// <c>FIELD_VALUE</c> in a write. Insightly's real enumeration is UNCONFIRMED: v2.2 describes text, multi-line
/// text, bit, dropdown, date, numeric and URL; DATETIME, MULTISELECT and LOOKUP are added here. The spellings
/// (upper case, no spaces) are the fake's assumption.
/// </summary>
public static class CustomFieldType
{
    /// <summary>A JSON string.</summary>
    public const string Text = "TEXT";

    /// <summary>A JSON string; may hold line breaks.</summary>
    public const string MultilineText = "MULTILINETEXT";

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    public const string Bit = "BIT";

    /// <summary>A JSON string equal to one of CUSTOM_FIELD_OPTIONS' OPTION_VALUE (exact case).</summary>
    public const string Dropdown = "DROPDOWN";

    /// <summary>A string <c>yyyy-MM-dd HH:mm:ss</c> or <c>yyyy-MM-dd</c>; stored as <c>yyyy-MM-dd 00:00:00</c> form.</summary>
    public const string Date = "DATE";

    /// <summary>A string <c>yyyy-MM-dd HH:mm:ss</c> (UTC, no <c>T</c>/<c>Z</c>).</summary>
    public const string DateTime = "DATETIME";

    /// <summary>A JSON number.</summary>
    public const string Numeric = "NUMERIC";

    /// <summary>A JSON string holding an absolute http(s) URL.</summary>
    public const string Url = "URL";

    /// <summary>
    /// A JSON string of option values joined by <see cref="MultiSelectSeparator"/>, e.g. <c>"Golf;Sailing"</c>,
    /// each exactly one OPTION_VALUE, no empty or repeated parts. Insightly's real shape is UNCONFIRMED;
    /// this storage is the fake's assumption.
    /// </summary>
    public const string MultiSelect = "MULTISELECT";

    /// <summary>A JSON integer: the id of an existing record of the collection named in JOIN_OBJECT.</summary>
    public const string Lookup = "LOOKUP";

    public const char MultiSelectSeparator = ';';

    public static IReadOnlyList<string> All { get; } =
        [Text, MultilineText, Bit, Dropdown, Date, DateTime, Numeric, Url, MultiSelect, Lookup];
}

/// <summary>Builds custom field definitions and checks values written against them.</summary>
internal static class CustomFieldRules
{
    /// <summary>A definition in Insightly's CustomFieldMetadata shape.</summary>
    public static JsonObject Definition(
        CollectionSchema schema, string fieldName, string label, string fieldType, IReadOnlyList<string> options,
        string? defaultValue, bool editable, bool visible, string? joinObject, int order, Func<long> nextOptionId)
    {
        if (!fieldName.EndsWith("__c", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Custom field names end in __c; '{fieldName}' does not.", nameof(fieldName));
        }

        if (!CustomFieldType.All.Contains(fieldType))
        {
            throw new ArgumentException($"Unknown FIELD_TYPE '{fieldType}'; use a CustomFieldType constant.", nameof(fieldType));
        }

        if (fieldType == CustomFieldType.Lookup && Schemas.Find(joinObject ?? "") is null)
        {
            throw new ArgumentException("A LOOKUP field needs JOIN_OBJECT naming a collection such as 'Organisations'.", nameof(joinObject));
        }

        var optionNodes = options.Select(o => (JsonNode?)new JsonObject
        {
            ["OPTION_ID"] = nextOptionId(),
            ["OPTION_VALUE"] = o,
            ["OPTION_DEFAULT"] = o == defaultValue,
        });
        return new JsonObject
        {
            ["FIELD_NAME"] = fieldName,
            ["FIELD_ORDER"] = order,
            ["FIELD_FOR"] = schema.ObjectName.ToUpperInvariant(),
            ["FIELD_LABEL"] = label,
            ["FIELD_TYPE"] = fieldType,
            ["FIELD_HELP_TEXT"] = null,
            ["DEFAULT_VALUE"] = defaultValue,
            ["EDITABLE"] = editable,
            ["VISIBLE"] = visible,
            ["CUSTOM_FIELD_OPTIONS"] = new JsonArray(optionNodes.ToArray()),
            ["DEPENDENCY"] = null,
            ["JOIN_OBJECT"] = joinObject,
        };
    }

    /// <summary>Checks one FIELD_VALUE against its definition and returns what is stored.</summary>
    public static JsonNode? Normalize(JsonObject definition, JsonNode? value, Func<string, long, bool> exists)
    {
        var name = definition["FIELD_NAME"]!.GetValue<string>();
        var type = definition["FIELD_TYPE"]!.GetValue<string>();
        if (value is null)
        {
            return null;
        }

        var kind = value.GetValueKind();
        string Text()
        {
            return kind == JsonValueKind.String
                ? value.GetValue<string>()
                : throw Refuse.BadRequest($"Custom field '{name}' ({type}) takes a string; got a JSON {Describe(kind)}.");
        }

        switch (type)
        {
            case CustomFieldType.Text or CustomFieldType.MultilineText:
                return Text();
            case CustomFieldType.Url:
                var url = Text();
                return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")
                    ? url
                    : throw Refuse.BadRequest($"Custom field '{name}' (URL) needs an absolute http(s) URL; got '{url}'.");
            case CustomFieldType.Bit:
                return kind is JsonValueKind.True or JsonValueKind.False
                    ? value.GetValue<bool>()
                    : throw Refuse.BadRequest($"Custom field '{name}' (BIT) takes true or false; got a JSON {Describe(kind)}.");
            case CustomFieldType.Numeric:
                return kind == JsonValueKind.Number
                    ? value.DeepClone()
                    : throw Refuse.BadRequest($"Custom field '{name}' (NUMERIC) takes a JSON number; got a JSON {Describe(kind)}.");
            case CustomFieldType.Date:
                return Dates.Normalize($"Custom field '{name}'", Text(), dateOnly: true);
            case CustomFieldType.DateTime:
                return Dates.Normalize($"Custom field '{name}'", Text(), dateOnly: false);
            case CustomFieldType.Dropdown:
                var choice = Text();
                return Options(definition).Contains(choice)
                    ? choice
                    : throw Refuse.BadRequest($"'{choice}' is not an option of custom field '{name}'; options are {string.Join(", ", Options(definition))}.");
            case CustomFieldType.MultiSelect:
                var parts = Text().Split(CustomFieldType.MultiSelectSeparator);
                var wrong = parts.FirstOrDefault(p => !Options(definition).Contains(p));
                if (wrong is not null || parts.Distinct().Count() != parts.Length)
                {
                    throw Refuse.BadRequest(
                        $"Custom field '{name}' (MULTISELECT) takes option values joined by '{CustomFieldType.MultiSelectSeparator}', each once; " +
                        $"'{wrong ?? "a repeated value"}' is not allowed. Options are {string.Join(", ", Options(definition))}.");
                }

                return Text();
            case CustomFieldType.Lookup:
                var target = Schemas.Find(definition["JOIN_OBJECT"]!.GetValue<string>())!;
                if (kind != JsonValueKind.Number || !value.AsValue().TryGetValue<long>(out var id))
                {
                    throw Refuse.BadRequest($"Custom field '{name}' (LOOKUP) takes the integer id of a {target.ObjectName}.");
                }

                return exists(target.Name, id)
                    ? id
                    : throw Refuse.BadRequest($"Custom field '{name}': {target.ObjectName} {id} does not exist.");
            default:
                throw new InvalidOperationException($"No rule for FIELD_TYPE {type}.");
        }
    }

    /// <summary>The OPTION_VALUEs of a dropdown or multi-select definition.</summary>
    public static IEnumerable<string> Options(JsonObject definition) =>
        definition["CUSTOM_FIELD_OPTIONS"]!.AsArray().Select(o => o!["OPTION_VALUE"]!.GetValue<string>());

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}
