using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Insightly.Unified.Insightly;

/// <summary>Reads a successful Insightly JSON answer straight from the response stream; anything else becomes the contract's error.</summary>
public static class InsightlyJson
{
    /// <summary>The body as a mutable tree; null when Insightly sent none.</summary>
    public static async Task<JsonNode?> ReadAsync(
        HttpResponseMessage response, string relativePath, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(response, time, cancellationToken);
        try
        {
            return stream is null ? null : await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw InsightlyErrors.MalformedResponse(relativePath);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw InsightlyErrors.BrokenResponse(relativePath, exception);
        }
    }

    /// <summary>The body as a read-only document (pooled memory: dispose it); null when Insightly sent none.</summary>
    public static async Task<JsonDocument?> ReadDocumentAsync(
        HttpResponseMessage response, string relativePath, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(response, time, cancellationToken);
        try
        {
            return stream is null ? null : await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw InsightlyErrors.MalformedResponse(relativePath);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw InsightlyErrors.BrokenResponse(relativePath, exception);
        }
    }

    /// <summary>The <c>X-Total-Count</c> a list answered with <c>count_total=true</c> carries.</summary>
    public static long? TotalCount(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Total-Count", out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var total)
            ? total
            : null;

    /// <summary>Insightly's integer ids become the contract's string ids.</summary>
    public static string? IdString(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => number.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 0 => text,
        _ => null,
    };

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static async Task<Stream?> OpenAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await InsightlyErrors.FromResponseAsync(response, time, cancellationToken);
        }

        return response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0
            ? null
            : await response.Content.ReadAsStreamAsync(cancellationToken);
    }
}
