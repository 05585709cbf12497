using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// What a POST or PATCH turns into upstream: the Insightly body, where to create the record (notes are created
/// under their parent), the links it must end up with, the calls that follow the write, and every field error found
/// on the way.
/// </summary>
public sealed class WritePlan(WriteKind kind)
{
    private readonly List<FieldError> errors = [];
    private readonly Dictionary<string, LinkChange> linkChanges = new(StringComparer.Ordinal);

    public WriteKind Kind { get; } = kind;

    /// <summary>The Insightly record body (upper-case columns).</summary>
    public JsonObject Body { get; } = [];

    /// <summary>Set for notes: <c>Contacts/101/Notes</c> and the like, instead of the collection.</summary>
    public string? CreatePath { get; set; }

    public List<FollowUpCall> FollowUps { get; } = [];

    public IReadOnlyList<FieldError> Errors => errors;

    /// <summary>True when the write changes some of the record's links, so a PATCH must first read the links it has.</summary>
    public bool ReplacesLinks => linkChanges.Count > 0;

    public void Error(string field, string message) => errors.Add(new FieldError(field, message));

    public void Set(string column, JsonNode? value) => Body[column] = value;

    /// <summary>The record's links to <paramref name="objectName"/> records (e.g. <c>Contact</c>) become exactly these ids.</summary>
    /// <param name="entity">The unified entity of the linked records, as the calls are named (<c>contact</c>).</param>
    public void ReplaceLinks(string objectName, string entity, IEnumerable<long> ids) =>
        linkChanges[objectName] = new LinkChange(objectName, entity, [.. ids]);

    /// <summary>The calls after the record's own, in order: its link changes (<see cref="LinkCalls"/>), then <see cref="FollowUps"/>.</summary>
    /// <param name="currentLinks">The record's links (<c>GET …/Links</c>); none for a new record.</param>
    public IReadOnlyList<FollowUpCall> Calls(string owner, long id, JsonElement currentLinks) =>
        [.. ReplacesLinks ? LinkCalls(owner, id, currentLinks) : [], .. FollowUps];

    /// <summary>
    /// The calls that give record <paramref name="id"/> (a <paramref name="owner"/>) exactly the links this write names,
    /// through Insightly's documented <c>/Links</c> endpoints, both ends named: <c>POST …/Links</c> for each one it
    /// lacks, then <c>DELETE …/Links/{linkId}</c> for each one it has too many. Links of other kinds stay as they are.
    /// </summary>
    /// <param name="current">The record's links (<c>GET …/Links</c>); none for a new record.</param>
    public IEnumerable<FollowUpCall> LinkCalls(string owner, long id, JsonElement current)
    {
        var existing = current.ValueKind == JsonValueKind.Array ? current.EnumerateArray().ToList() : [];
        foreach (var change in linkChanges.Values)
        {
            var linked = existing.Where(l => InsightlyValues.Text(InsightlyValues.Property(l, "LINK_OBJECT_NAME")) == change.ObjectName).ToList();
            foreach (var added in change.Ids.Where(wanted => !linked.Any(l => LinkedId(l) == wanted)))
            {
                yield return new FollowUpCall($"link {change.Entity} {added}", HttpMethod.Post, "Links", new JsonObject
                {
                    ["OBJECT_NAME"] = owner,
                    ["OBJECT_ID"] = id,
                    ["LINK_OBJECT_NAME"] = change.ObjectName,
                    ["LINK_OBJECT_ID"] = added,
                });
            }

            foreach (var removed in linked.Where(l => LinkedId(l) is not { } other || !change.Ids.Contains(other)))
            {
                var linkId = InsightlyValues.IdText(InsightlyValues.Property(removed, "LINK_ID"));
                yield return new FollowUpCall($"unlink {change.Entity} {LinkedId(removed)}", HttpMethod.Delete, $"Links/{linkId}", null);
            }
        }
    }

    private static long? LinkedId(JsonElement link) =>
        InsightlyValues.ParseId(InsightlyValues.IdText(InsightlyValues.Property(link, "LINK_OBJECT_ID")));

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

    private sealed record LinkChange(string ObjectName, string Entity, IReadOnlyList<long> Ids);
}
