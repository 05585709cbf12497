using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>
/// A request the fake received, for assertions such as "no retry happened", "exactly 3 upstream calls" or
/// "no x-functions-key reached Insightly". The positional members are the original ones; the rest say
/// exactly what arrived.
/// </summary>
public sealed record RecordedRequest(string Method, string Pod, string Path, string? ApiKey, DateTimeOffset At)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>The raw query string with its leading <c>?</c>, or empty.</summary>
    public string QueryString { get; init; } = "";

    /// <summary>The query parameters, names case-insensitive; repeated values joined with a comma.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = None;

    /// <summary>Every request header as received, names case-insensitive; repeated values joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = None;

    /// <summary>The request body as UTF-8 text; empty when there was none.</summary>
    public string Body { get; init; } = "";

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body parsed as JSON, or null when it was empty or not JSON.</summary>
    public JsonNode? Json()
    {
        try
        {
            return Body.Length == 0 ? null : JsonNode.Parse(Body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
