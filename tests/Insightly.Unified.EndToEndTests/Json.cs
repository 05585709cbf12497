using System.Text.Json.Nodes;

namespace Insightly.Unified.EndToEndTests;

internal static class Json
{
    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"Empty body with {(int)response.StatusCode}");
    }

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Str(this JsonNode? node, string property) => node![property]!.GetValue<string>();

    /// <summary>Compact JSON with characters such as + and é as they are, for comparing with expected text.</summary>
    public static string Text(this JsonNode? node) => node?.ToJsonString(Readable) ?? "null";

    /// <summary>Asserts two JSON documents are equal (property order aside).</summary>
    public static void Equal(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {JsonNode.Parse(expected).Text()}, got {actual.Text()}");

    public static void AssertError(JsonObject body, int status, string error)
    {
        Assert.Equal(status, body["status_code"]!.GetValue<int>());
        Assert.Equal(error, body.Str("error"));
        Assert.False(string.IsNullOrWhiteSpace(body.Str("message")));
    }
}
