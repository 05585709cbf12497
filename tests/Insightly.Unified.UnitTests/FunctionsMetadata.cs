using System.Reflection;
using System.Text.Json.Nodes;
using Insightly.Unified.Functions.Hosting;

namespace Insightly.Unified.UnitTests;

/// <summary>The functions.metadata the Functions SDK generates: exactly what the real Functions host indexes.</summary>
internal static class FunctionsMetadata
{
    private static readonly Lazy<JsonArray> Entries = new(() =>
    {
        var path = typeof(FunctionsMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "FunctionsMetadataPath").Value!;
        Assert.True(File.Exists(path), $"Build the Functions app first: {path} is missing.");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    });

    public static IEnumerable<JsonObject> Functions => Entries.Value.Select(f => f!.AsObject());

    public static string Name(JsonObject function) => function["name"]!.GetValue<string>();

    public static JsonObject Trigger(string function, string type)
    {
        var entry = Functions.SingleOrDefault(f => Name(f) == function)
            ?? throw new Xunit.Sdk.XunitException($"functions.metadata has no function {function}");
        return entry["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == type)!.AsObject();
    }

    /// <summary>The HTTP routes as the host registers them (methods upper-case, as the catalog keeps them).</summary>
    public static IReadOnlyList<HostRoute> HttpRoutes() =>
        Functions
            .Select(f => (Name: Name(f), Trigger: f["bindings"]!.AsArray().SingleOrDefault(b => b!["type"]!.GetValue<string>() == "httpTrigger")))
            .Where(f => f.Trigger is not null)
            .Select(f => new HostRoute(
                f.Name,
                f.Trigger!["route"]!.GetValue<string>(),
                f.Trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToArray()))
            .ToList();
}
