using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// What a POST or PATCH turns into upstream: the Insightly body, where to create the record (notes are created
/// under their parent), the calls that follow the write, and every field error found on the way.
/// </summary>
public sealed class WritePlan(WriteKind kind)
{
    private readonly List<FieldError> errors = [];
    private readonly Dictionary<string, JsonArray> linkReplacements = new(StringComparer.Ordinal);

    public WriteKind Kind { get; } = kind;

    /// <summary>The Insightly record body (upper-case columns).</summary>
    public JsonObject Body { get; } = [];

    /// <summary>Set for notes: <c>Contacts/101/Notes</c> and the like, instead of the collection.</summary>
    public string? CreatePath { get; set; }

    public List<FollowUpCall> FollowUps { get; } = [];

    public IReadOnlyList<FieldError> Errors => errors;

    /// <summary>True when the body replaces some of the record's LINKS, so a PATCH must merge with the links it has.</summary>
    public bool ReplacesLinks => linkReplacements.Count > 0;

    public void Error(string field, string message) => errors.Add(new FieldError(field, message));

    public void Set(string column, JsonNode? value) => Body[column] = value;

    /// <summary>The record's links to <paramref name="objectName"/> (e.g. <c>Contact</c>) become exactly these ids.</summary>
    public void ReplaceLinks(string objectName, IEnumerable<long> ids) =>
        linkReplacements[objectName] = new JsonArray([.. ids.Select(id => (JsonNode?)new JsonObject
        {
            ["LINK_OBJECT_NAME"] = objectName,
            ["LINK_OBJECT_ID"] = id,
        })]);

    /// <summary>
    /// Writes LINKS: the replaced kinds as sent, every other link the record has kept as it is (Insightly
    /// replaces LINKS whole). A link that already existed keeps its id, role and details.
    /// </summary>
    public void MergeLinks(JsonElement current)
    {
        if (linkReplacements.Count == 0)
        {
            return;
        }

        var merged = new JsonArray();
        var existing = current.ValueKind == JsonValueKind.Object && current.TryGetProperty("LINKS", out var links) && links.ValueKind == JsonValueKind.Array
            ? links.EnumerateArray().ToList()
            : [];
        foreach (var link in existing.Where(l => !linkReplacements.ContainsKey(LinkedObject(l))))
        {
            merged.Add(JsonNode.Parse(link.GetRawText()));
        }

        foreach (var (objectName, wanted) in linkReplacements)
        {
            foreach (var link in wanted)
            {
                var id = link!["LINK_OBJECT_ID"]!.GetValue<long>();
                var kept = existing.FirstOrDefault(l => LinkedObject(l) == objectName && LinkedId(l) == id);
                merged.Add(kept.ValueKind == JsonValueKind.Object ? JsonNode.Parse(kept.GetRawText()) : link.DeepClone());
            }
        }

        Body["LINKS"] = merged;
    }

    private static string LinkedObject(JsonElement link) =>
        link.TryGetProperty("LINK_OBJECT_NAME", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : "";

    private static long? LinkedId(JsonElement link) =>
        link.TryGetProperty("LINK_OBJECT_ID", out var id) && id.TryGetInt64(out var value) ? value : null;

    internal static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        var other => other.Value.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
