using System.Text.Json.Nodes;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// One property of a unified object, as the <c>fields</c> resource and the OpenAPI document describe it. The
/// field maps declare these, so what is listed, what is accepted and what is documented cannot drift apart.
/// </summary>
public sealed record UnifiedField(string Name, string Type, JsonObject Schema)
{
    /// <summary>Accepted in POST and PATCH bodies.</summary>
    public bool IsEditable { get; init; } = true;

    /// <summary>Accepted only when creating (a note's parent), never returned.</summary>
    public bool IsCreateOnly { get; init; }

    public bool IsRequired { get; init; }

    /// <summary>The unified resource a reference points at, e.g. <c>account</c>.</summary>
    public string? ReferenceEntity { get; init; }

    public IReadOnlyList<string> Options { get; init; } = [];

    public string Label => char.ToUpperInvariant(Name[0]) + Name[1..].Replace('_', ' ');
}

/// <summary>JSON Schema fragments for the OpenAPI document.</summary>
public static class Schemas
{
    public static JsonObject Of(string type, string? format = null) =>
        format is null ? new JsonObject { ["type"] = Nullable(type) } : new JsonObject { ["type"] = Nullable(type), ["format"] = format };

    public static JsonObject Enum(IEnumerable<string> values) => new()
    {
        ["type"] = Nullable("string"),
        ["enum"] = new JsonArray([.. values.Select(v => (JsonNode?)v), null]),
    };

    public static JsonObject Reference(bool withName) => new()
    {
        ["type"] = Nullable("object"),
        ["properties"] = withName
            ? new JsonObject { ["id"] = new JsonObject { ["type"] = "string" }, ["name"] = Of("string") }
            : new JsonObject { ["id"] = new JsonObject { ["type"] = "string" } },
        ["required"] = new JsonArray("id"),
    };

    /// <summary>A list (null clears it on writes) whose items are never null: none is read, and a write refuses one.</summary>
    public static JsonObject ArrayOf(JsonObject items) => new() { ["type"] = Nullable("array"), ["items"] = NonNull(items) };

    public static JsonObject Object(params (string Name, JsonObject Schema)[] properties) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Schema))),
        ["additionalProperties"] = false,
    };

    private static JsonArray Nullable(string type) => new(type, "null");

    private static JsonObject NonNull(JsonObject schema)
    {
        if (schema["type"] is JsonArray types)
        {
            schema["type"] = types[0]!.GetValue<string>();
        }

        if (schema["enum"] is JsonArray values)
        {
            schema["enum"] = new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())]);
        }

        return schema;
    }
}
