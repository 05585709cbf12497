using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Insightly.Unified.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of this API, served anonymously at <c>GET /api/openapi.json</c> and committed as
/// <c>docs/openapi.json</c>. It is generated from the code it describes — the unified paths, operations,
/// filters and schemas from the resource descriptors, the error codes from <see cref="Errors.ErrorCodes"/>,
/// the account and health schemas checked against the types the API serializes — so it cannot drift from it.
/// </summary>
public static class OpenApiDocument
{
    /// <summary>The route below <c>/api</c> that serves it.</summary>
    public const string Route = "openapi.json";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Served as application/json and kept as a file, never embedded in HTML: 'quotes' and → stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Lazy<byte[]> Serialized = new(() => Serialize(Build()));

    /// <summary>The document as served and as committed: UTF-8 JSON, two-space indents, LF line ends, a final newline.</summary>
    public static byte[] Utf8 => Serialized.Value;

    /// <summary>Builds the document afresh.</summary>
    public static JsonObject Build() => new OpenApiBuilder().Build();

    public static byte[] Serialize(JsonNode document)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            document.WriteTo(writer);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
