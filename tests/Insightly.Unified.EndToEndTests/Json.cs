using System.Text.Json.Nodes;

namespace Insightly.Unified.EndToEndTests;

internal static class Json
{
    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"Empty body with {(int)response.StatusCode}");
    }

    public static string Str(this JsonNode? node, string property) => node![property]!.GetValue<string>();

    public static void AssertError(JsonObject body, int status, string error)
    {
        Assert.Equal(status, body["status_code"]!.GetValue<int>());
        Assert.Equal(error, body.Str("error"));
        Assert.False(string.IsNullOrWhiteSpace(body.Str("message")));
    }
}
