using System.Text.Json;
using System.Text.Json.Nodes;

namespace Insightly.Unified.Insightly;

/// <summary>Reads a successful Insightly JSON answer; anything else becomes the contract's error.</summary>
public static class InsightlyJson
{
    public static async Task<JsonNode?> ReadAsync(
        HttpResponseMessage response, string relativePath, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await InsightlyErrors.FromResponseAsync(response, time, cancellationToken);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw InsightlyErrors.MalformedResponse(relativePath);
        }
    }

    /// <summary>Insightly's integer ids become the contract's string ids.</summary>
    public static string? IdString(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 0 => text,
        _ => null,
    };

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
