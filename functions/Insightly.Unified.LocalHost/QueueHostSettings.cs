using System.Globalization;
using System.Text.Json.Nodes;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// The queue trigger's settings as the Functions host reads them: host.json's <c>extensions.queues</c>, each overridable by an
/// app setting <c>AzureFunctionsJobHost__extensions__queues__{name}</c> (tests shorten the polling interval that way).
/// Unset values take the host's own defaults.
/// </summary>
public sealed record QueueHostSettings(TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int BatchSize, int NewBatchThreshold, int MaxDequeueCount)
{
    private const string OverridePrefix = "AzureFunctionsJobHost:extensions:queues:";

    /// <summary>How long a message being processed stays invisible to other pollers (the host renews it; runs here are short).</summary>
    public static readonly TimeSpan ProcessingVisibility = TimeSpan.FromMinutes(10);

    public static QueueHostSettings Read(string hostJsonPath, IConfiguration configuration)
    {
        var queues = File.Exists(hostJsonPath)
            ? JsonNode.Parse(File.ReadAllText(hostJsonPath))?["extensions"]?["queues"] as JsonObject
            : null;
        string? Value(string name) => configuration[OverridePrefix + name]
            ?? queues?.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.ToString();
        TimeSpan Time(string name, TimeSpan fallback) =>
            Value(name) is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : fallback;
        int Number(string name, int fallback) =>
            Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

        var batchSize = Number("batchSize", 16);
        return new QueueHostSettings(
            Time("maxPollingInterval", TimeSpan.FromMinutes(1)),
            Time("visibilityTimeout", TimeSpan.Zero),
            batchSize,
            Number("newBatchThreshold", batchSize / 2),
            Number("maxDequeueCount", 5));
    }
}
