using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// Reads the <c>Values</c> of <c>local.settings.json</c> the way <c>func start</c> does, so one settings file
/// serves both ways of running locally: each value becomes a setting (<c>Insightly__BaseUrlTemplate</c> as
/// <c>Insightly:BaseUrlTemplate</c>), and an environment variable of the same name still wins.
/// </summary>
public static class LocalSettingsFile
{
    public const string FileName = "local.settings.json";

    public static void AddLocalSettings(this IConfigurationBuilder configuration, string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        JsonObject? values;
        try
        {
            values = JsonNode.Parse(File.ReadAllText(path))?["Values"] as JsonObject;
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"{path} is not valid JSON: {exception.Message}", exception);
        }

        var settings = (values ?? []).ToDictionary(
            value => value.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal),
            value => value.Value?.GetValueKind() == JsonValueKind.String ? value.Value.GetValue<string>() : value.Value?.ToJsonString(),
            StringComparer.OrdinalIgnoreCase);

        // Below the environment, as Core Tools does: a variable that is already set is not overridden.
        var sources = configuration.Sources;
        var environment = sources.ToList().FindIndex(source => source is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        sources.Insert(environment < 0 ? sources.Count : environment, new MemoryConfigurationSource { InitialData = settings });
    }
}
