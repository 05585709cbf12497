using System.Reflection;
using System.Text.Json.Nodes;

namespace Insightly.Unified.InfrastructureTests;

/// <summary>The ARM JSON the build compiled from infra/bicep/main.bicep, with its modules flattened.</summary>
public sealed class ArmTemplate
{
    private ArmTemplate(JsonObject root)
    {
        Root = root;
        Modules = Array(root["resources"])
            .Where(r => r.Str("type") == "Microsoft.Resources/deployments")
            .ToDictionary(r => r.Str("name"), r => r["properties"]!["template"]!.AsObject());
    }

    public JsonObject Root { get; }

    /// <summary>Each module's compiled template, by module deployment name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Modules { get; }

    public static ArmTemplate Load() => Parse(File.ReadAllText(Path.Combine(CompiledDirectory, "main.json")));

    public static ArmTemplate Parse(string json) => new(JsonNode.Parse(json)!.AsObject());

    public static string CompiledDirectory => Metadata("CompiledBicepDirectory");

    /// <summary>The Bicep CLI the build compiled with.</summary>
    public static string BicepPath => Metadata("BicepPath");

    /// <summary>infra/bicep, the sources.</summary>
    public static string SourceDirectory => Metadata("BicepSourceDirectory");

    private static string Metadata(string key) => typeof(ArmTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;

    public IEnumerable<JsonObject> AllResources =>
        Array(Root["resources"]).Concat(Modules.Values.SelectMany(m => Array(m["resources"])));

    public JsonObject Single(string type) => Assert.Single(AllResources, r => r.Str("type") == type);

    public IEnumerable<JsonObject> OfType(string type) => AllResources.Where(r => r.Str("type") == type);

    private static IEnumerable<JsonObject> Array(JsonNode? resources) => resources switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()),
        _ => [],
    };
}

internal static class JsonExtensions
{
    public static string Str(this JsonNode? node, string property) => node![property]!.GetValue<string>();
}
