using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeInsightly;

/// <summary>What a handler answers; written by the server, possibly mangled by a scripted fault.</summary>
internal sealed record FakeResponse(int Status, JsonNode? Body)
{
    /// <summary>Raw UTF-8 as Insightly sends it, not <c>\u</c>-escaped.</summary>
    private static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static FakeResponse Ok(JsonNode body) => new(200, body);

    public static FakeResponse Error(int status, string message) => new(status, new JsonObject { ["Message"] = message });

    public static string Serialize(JsonNode node) => node.ToJsonString(Wire);

    /// <summary>A strong ETag over the JSON text, so a GET's tag and a stored record's tag agree.</summary>
    public static string ETagOf(JsonNode node) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Serialize(node))).AsSpan(0, 12)) + "\"";

    public FakeResponse With(string header, string value)
    {
        Headers[header] = value;
        return this;
    }
}

/// <summary>A refusal, answered as <c>{"Message": …}</c> with its status.</summary>
internal sealed class InsightlyError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>For 405: the methods the route does allow.</summary>
    public string? Allow { get; init; }
}

internal static class Refuse
{
    public static InsightlyError BadRequest(string message) => new(400, message);

    public static InsightlyError NotFound(string message) => new(404, message);

    public static InsightlyError NoRoute(string path) => new(404, $"No HTTP resource was found that matches the request URI '/v3.1/{path}'.");

    public static InsightlyError MethodNotAllowed(string method, IEnumerable<string> allowed) =>
        new(405, $"The requested resource does not support http method '{method}'.") { Allow = string.Join(", ", allowed) };
}

/// <summary>Insightly's two date formats: <c>yyyy-MM-dd HH:mm:ss</c> in bodies, ISO 8601 with Z in query strings.</summary>
internal static class Dates
{
    public const string Layout = "yyyy-MM-dd HH:mm:ss";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Layout, CultureInfo.InvariantCulture);

    /// <summary>
    /// Checks a body date. Date-only fields may also be written <c>yyyy-MM-dd</c>, and hold a date: they store
    /// midnight, so a time sent for one is lost, as it is in a date column.
    /// </summary>
    public static string Normalize(string what, string text, bool dateOnly)
    {
        if (DateTime.TryParseExact(text, Layout, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return dateOnly ? text[..10] + " 00:00:00" : text;
        }

        if (dateOnly && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return text + " 00:00:00";
        }

        var hint = text.Contains('T', StringComparison.Ordinal) ? " ISO 8601 ('T', 'Z', offsets) is only for query parameters." : "";
        throw Refuse.BadRequest($"{what} must be a date formatted '{Layout}' (UTC); got '{text}'.{hint}");
    }

    /// <summary>A stored <c>yyyy-MM-dd HH:mm:ss</c> value as UTC, or null.</summary>
    public static DateTime? Read(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.String &&
        DateTime.TryParseExact(node.GetValue<string>(), Layout, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    /// <summary><c>updated_after_utc</c>: ISO 8601 in UTC with a Z, e.g. <c>2024-01-01T00:00:00Z</c>; truncated to the second.</summary>
    public static DateTime ParseQuery(string name, string text)
    {
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];
        if (!DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            throw Refuse.BadRequest($"The value '{text}' is not valid for {name}; use ISO 8601 in UTC with a Z, e.g. 2024-01-01T00:00:00Z.");
        }

        return value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));
    }
}
