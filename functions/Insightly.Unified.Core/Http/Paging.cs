using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Insightly.Unified.Errors;
using Microsoft.AspNetCore.Http;

namespace Insightly.Unified.Http;

/// <summary>
/// The page a list request asks for, as every list reads it: <c>limit</c> (1–500, default 100) and a signed
/// <c>next_cursor</c> bound to the query it came from, which carries the position (a storage continuation
/// or an offset).
/// </summary>
public sealed record PageRequest(int Limit, string? Position, string Binding)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <param name="binding">Everything the position depends on: the list, the account and its canonical filters.</param>
    public static async Task<PageRequest> ReadAsync(IQueryCollection query, string binding, PageCursors cursors, CancellationToken cancellationToken)
    {
        var limit = query.Limit(DefaultLimit, MaxLimit);
        var cursor = query.OptionalString("next_cursor");
        return new PageRequest(limit, cursor is null ? null : await cursors.DecodeAsync(cursor, binding, cancellationToken), binding);
    }

    /// <summary>The position as an offset, for lists paged by skipping records.</summary>
    public int Offset => Position is null ? 0
        : int.TryParse(Position, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset
        : throw ApiException.InvalidCursor("'next_cursor' is not a cursor of this list.");

    /// <summary>The cursor of the next page, or null when this page is the last.</summary>
    public async Task<string?> NextCursorAsync(PageCursors cursors, string? nextPosition, CancellationToken cancellationToken) =>
        nextPosition is null ? null : await cursors.EncodeAsync(Binding, nextPosition, cancellationToken);

    /// <summary>The next offset after this page, or null when <paramref name="total"/> (or a short page) says it is the last.</summary>
    public string? NextOffset(long? total, int returned) =>
        (total is { } known ? Offset + Limit < known : returned == Limit)
            ? (Offset + Limit).ToString(CultureInfo.InvariantCulture)
            : null;
}

/// <summary>The envelope every list answers with: <c>{"result": […], "next_cursor": …, "result_count": n}</c>.</summary>
public static class PageEnvelope
{
    /// <summary>A page of items serialised as they are, written to the response as it goes.</summary>
    public static JsonWriterResult Result<T>(IEnumerable<T> items, string? nextCursor, JsonTypeInfo<T> itemType) =>
        new(200, (writer, flush) => WriteAsync(writer, items, (w, item) =>
        {
            JsonSerializer.Serialize(w, item, itemType);
            return true;
        }, nextCursor, flush));

    /// <param name="writeItem">Writes one item; false when it is left out (so it is not counted).</param>
    /// <param name="flush">Called after each item, to send what is written so far once there is enough.</param>
    public static async Task WriteAsync<T>(
        Utf8JsonWriter writer, IEnumerable<T> items, Func<Utf8JsonWriter, T, bool> writeItem, string? nextCursor, Func<Task> flush)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("result");
        var count = 0;
        foreach (var item in items)
        {
            if (writeItem(writer, item))
            {
                count++;
                await flush();
            }
        }

        writer.WriteEndArray();
        writer.WriteString("next_cursor", nextCursor);
        writer.WriteNumber("result_count", count);
        writer.WriteEndObject();
    }
}
