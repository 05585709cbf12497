using System.Globalization;
using System.Text.Json;

namespace Insightly.Unified.Unified.Mapping;

/// <summary>
/// Insightly's value formats and the contract's: ids are integers upstream and strings here; datetimes are
/// <c>yyyy-MM-dd HH:mm:ss</c> in UTC without a zone upstream and ISO 8601 with <c>Z</c> here; plain dates
/// are <c>yyyy-MM-dd</c> here and a midnight datetime upstream.
/// </summary>
public static class InsightlyValues
{
    public const string InsightlyDateTimeFormat = "yyyy-MM-dd HH:mm:ss";
    public const string UnifiedTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    public const string UnifiedDateFormat = "yyyy-MM-dd";

    private static readonly string[] InsightlyInputFormats =
        [InsightlyDateTimeFormat, "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    /// <summary>A datetime as Insightly sends it, or null for null, empty and the zero date.</summary>
    public static DateTime? ParseInsightlyDateTime(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString();
        return DateTime.TryParseExact(text, InsightlyInputFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) && parsed.Year > 1
            ? parsed
            : null;
    }

    public static string ToUnifiedTimestamp(DateTime utc) => utc.ToString(UnifiedTimestampFormat, CultureInfo.InvariantCulture);

    public static string ToUnifiedDate(DateTime utc) => utc.ToString(UnifiedDateFormat, CultureInfo.InvariantCulture);

    public static string ToInsightlyDateTime(DateTime utc) => utc.ToString(InsightlyDateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>An ISO 8601 timestamp with a zone (<c>Z</c> or an offset), as the contract takes them; null if it is not one.</summary>
    public static DateTime? ParseUnifiedTimestamp(string text) =>
        text.Length >= 20 && text[10] == 'T'
        && DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
            CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed.UtcDateTime
            : null;

    /// <summary>A plain <c>yyyy-MM-dd</c> date; null if it is not one.</summary>
    public static DateTime? ParseUnifiedDate(string text) =>
        DateTime.TryParseExact(text, UnifiedDateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;

    /// <summary>An Insightly integer id as the contract's string id; null when absent.</summary>
    public static string? IdText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String when value.GetString() is { Length: > 0 } text => text,
        _ => null,
    };

    /// <summary>A contract id (a string of digits) as Insightly's integer id; null if it is not one.</summary>
    public static long? ParseId(string? text) =>
        text is { Length: > 0 and <= 18 } && text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;

    public static JsonElement Property(JsonElement record, string column) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty(column, out var value) ? value : default;

    public static string? Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
