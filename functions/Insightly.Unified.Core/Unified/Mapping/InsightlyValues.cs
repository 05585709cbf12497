using System.Globalization;
using System.Runtime.InteropServices;
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

    /// <summary>
    /// What to tell a caller who sent <paramref name="text"/> for a date-only field: that a date takes no time (Insightly
    /// would keep only the day), or what a date looks like.
    /// </summary>
    public static string DateExpected(string field, string text) =>
        text.Length > 10 && text[10] is 'T' or ' ' && ParseUnifiedDate(text[..10]) is not null
            ? $"'{field}' is a date without a time: send '{text[..10]}', not '{text}'."
            : $"'{field}' must be a date like 2024-02-03.";

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

    // The writers below are what mapping a page runs for every field of every record: they copy UTF-8 from the
    // parsed upstream document to the response without making a string of each value.

    /// <summary>True when <see cref="Text"/> would return a value, without making the string.</summary>
    public static bool HasText(JsonElement value) => value.ValueKind == JsonValueKind.String && !value.ValueEquals(ReadOnlySpan<byte>.Empty);

    /// <summary>Writes what <see cref="Text"/> returns — the string, or null for null, "" and non-strings.</summary>
    public static void WriteText(Utf8JsonWriter writer, JsonElement value)
    {
        if (HasText(value))
        {
            value.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Writes what <see cref="IdText"/> returns.</summary>
    public static void WriteId(Utf8JsonWriter writer, JsonElement value)
    {
        Span<char> digits = stackalloc char[20];
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var id) && id.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture))
        {
            writer.WriteStringValue(digits[..length]);
        }
        else if (HasText(value))
        {
            value.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>True when the value holds an id <see cref="IdText"/> would return.</summary>
    public static bool HasId(JsonElement value) =>
        (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _)) || HasText(value);

    /// <summary>
    /// Writes an Insightly datetime as the contract's timestamp (or date), or null, exactly as
    /// <see cref="ParseInsightlyDateTime"/> then <see cref="ToUnifiedTimestamp"/> would; Insightly's own
    /// <c>yyyy-MM-dd HH:mm:ss</c> is converted without a string, any other accepted form the slow way.
    /// </summary>
    public static void WriteDateTime(Utf8JsonWriter writer, JsonElement value, bool dateOnly)
    {
        if (value.ValueKind == JsonValueKind.String && TryInsightlyUtf8(JsonMarshal.GetRawUtf8Value(value), out var at))
        {
            Span<byte> text = stackalloc byte[20];
            var ok = dateOnly
                ? at.TryFormat(text, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture)
                : at.TryFormat(text, out written, UnifiedTimestampFormat, CultureInfo.InvariantCulture);
            if (ok)
            {
                writer.WriteStringValue(text[..written]);
                return;
            }
        }

        if (ParseInsightlyDateTime(value) is { } parsed)
        {
            writer.WriteStringValue(dateOnly ? ToUnifiedDate(parsed) : ToUnifiedTimestamp(parsed));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>
    /// Writes the texts of two values joined by a space (either alone when the other has none; null when neither
    /// has), as <c>string.Join</c> over <see cref="Text"/> would, without making strings. False, having written
    /// nothing, for values that hold escapes or are long: the caller then takes the slow way.
    /// </summary>
    public static bool TryWriteJoined(Utf8JsonWriter writer, JsonElement first, JsonElement second)
    {
        ReadOnlySpan<byte> a = default, b = default;
        if ((HasText(first) && !TryUnescapedUtf8(first, out a)) || (HasText(second) && !TryUnescapedUtf8(second, out b)))
        {
            return false;
        }

        if (a.IsEmpty && b.IsEmpty)
        {
            writer.WriteNullValue();
            return true;
        }

        if (a.IsEmpty || b.IsEmpty)
        {
            writer.WriteStringValue(a.IsEmpty ? b : a);
            return true;
        }

        if (a.Length + b.Length + 1 > 512)
        {
            return false;
        }

        Span<byte> joined = stackalloc byte[a.Length + b.Length + 1];
        a.CopyTo(joined);
        joined[a.Length] = (byte)' ';
        b.CopyTo(joined[(a.Length + 1)..]);
        writer.WriteStringValue(joined);
        return true;
    }

    /// <summary>A string value's UTF-8 as the document holds it, when it holds no escape sequence.</summary>
    private static bool TryUnescapedUtf8(JsonElement value, out ReadOnlySpan<byte> utf8)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        utf8 = raw.Length >= 2 ? raw[1..^1] : default;
        return raw.Length >= 2 && !utf8.Contains((byte)'\\');
    }

    /// <summary><c>"yyyy-MM-dd HH:mm:ss"</c> (with its quotes, as the document holds it), year after 1; nothing else.</summary>
    private static bool TryInsightlyUtf8(ReadOnlySpan<byte> raw, out DateTime at)
    {
        at = default;
        if (raw.Length != 21 || raw[0] != '"' || raw[20] != '"' || raw[5] != '-' || raw[8] != '-' || raw[11] != ' ' || raw[14] != ':' || raw[17] != ':')
        {
            return false;
        }

        var text = raw[1..20];
        if (!(Digits(text, 0, 4, out var year) && Digits(text, 5, 2, out var month) && Digits(text, 8, 2, out var day)
              && Digits(text, 11, 2, out var hour) && Digits(text, 14, 2, out var minute) && Digits(text, 17, 2, out var second))
            || year <= 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        at = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        foreach (var b in text.Slice(start, count))
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = value * 10 + (b - '0');
        }

        return true;
    }
}
