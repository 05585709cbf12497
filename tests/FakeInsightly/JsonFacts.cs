using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>Reading JSON values the same way whether they came from a request body or were seeded from C#.</summary>
internal static class JsonFacts
{
    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>The value as an integer, or null when it is not a JSON integer.</summary>
    public static long? AsLong(JsonNode? node) =>
        Kind(node) == JsonValueKind.Number && long.TryParse(node!.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    public static string? AsString(JsonNode? node) => Kind(node) == JsonValueKind.String ? node!.GetValue<string>() : null;

    public static decimal? AsDecimal(JsonNode? node) =>
        Kind(node) == JsonValueKind.Number && decimal.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>Whether a written value equals the stored one (numbers by value, absent and null alike).</summary>
    public static bool Same(JsonNode? written, JsonNode? stored) =>
        (Kind(written), Kind(stored)) switch
        {
            (JsonValueKind.Null, JsonValueKind.Null) => true,
            (JsonValueKind.Number, JsonValueKind.Number) => AsDecimal(written) == AsDecimal(stored),
            var (a, b) when a != b => false,
            _ => written!.ToJsonString() == stored!.ToJsonString(),
        };

    /// <summary>Whether a stored value equals a query string's <c>field_value</c> (exact; booleans and numbers by value).</summary>
    public static bool MatchesText(JsonNode? stored, string text) =>
        Kind(stored) switch
        {
            JsonValueKind.String => stored!.GetValue<string>() == text,
            JsonValueKind.Number => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && AsDecimal(stored) == number,
            JsonValueKind.True => text.Equals("true", StringComparison.OrdinalIgnoreCase),
            JsonValueKind.False => text.Equals("false", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
}
