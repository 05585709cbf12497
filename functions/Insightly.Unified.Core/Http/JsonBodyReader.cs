using System.Text.Json;
using System.Text.Unicode;
using System.Text.Json.Nodes;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Insightly.Unified.Http;

/// <summary>Reads a JSON object body, enforcing the media type and the size limit before parsing.</summary>
public sealed class JsonBodyReader(IOptions<ApiOptions> options)
{
    // Duplicate names are refused: which of two "api_key"s wins must never be a guess.
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    public async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        EnsureJsonMediaType(request);
        var limit = options.Value.MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw ApiException.InvalidBody("The request body is empty; send a JSON object.");
        }

        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (!Utf8.IsValid(bytes))
        {
            throw ApiException.InvalidBody("The request body is not valid UTF-8.");
        }

        JsonNode? node;
        try
        {
            EnsureStringsAreText(bytes);
            node = JsonNode.Parse(bytes, documentOptions: StrictJson);
        }
        catch (JsonException exception)
        {
            throw ApiException.InvalidBody($"The request body is not valid JSON: {exception.Message}");
        }

        return node as JsonObject ?? throw ApiException.InvalidBody("The request body must be a JSON object.");
    }

    /// <summary>
    /// Valid UTF-8 can still escape a lone surrogate (<c>"\udc00"</c>), which no .NET string can hold: the
    /// parser accepts it and reading the value later throws. Every string and name is decoded once here.
    /// </summary>
    private static void EnsureStringsAreText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    throw ApiException.InvalidBody("The request body holds an escaped lone surrogate (such as \\udc00), which is not text.");
                }
            }
        }
    }

    private static void EnsureJsonMediaType(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || mediaType.MediaType.Value!.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ApiException(415, ErrorCodes.UnsupportedMediaType,
                $"Send the body as application/json (got '{request.ContentType ?? "no Content-Type"}').");
        }
    }

    private static ApiException TooLarge(long limit) =>
        new(413, ErrorCodes.PayloadTooLarge, $"The request body is larger than the {limit} byte limit.",
            new JsonObject { ["limit_bytes"] = limit });
}
