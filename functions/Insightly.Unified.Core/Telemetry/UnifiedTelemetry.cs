using System.Diagnostics;
using Insightly.Unified.IntegratedAccounts;

namespace Insightly.Unified.Telemetry;

/// <summary>
/// The name the app's traces and metrics share (<see cref="Name"/>), its <see cref="ActivitySource"/> and the
/// tag values both use. The instruments are in <see cref="UnifiedMetrics"/>. Tags never hold an API key, a key
/// version, a body or a query string.
/// </summary>
public static class UnifiedTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="ActivitySource"/> name to subscribe to.</summary>
    public const string Name = "Insightly.Unified";

    /// <summary>Spans of Insightly calls. Immutable: what listens is decided by each host's tracer provider.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// A pod for a metric tag: one of Insightly's known pods, else <c>other</c> — a key being verified may name any
    /// pod token, and a tag must not let a caller mint new series.
    /// </summary>
    public static string PodTag(string? pod) =>
        pod is not null && InsightlyPod.Known.Contains(pod) ? pod : "other";

    /// <summary>
    /// The Insightly resource a relative path names, for tags: its first segment when it is one of Insightly's
    /// collections, else <c>other</c> — the proxy forwards any path, and a tag must not let a caller mint new series.
    /// </summary>
    public static string ResourceOf(string? relativePath)
    {
        if (string.IsNullOrEmpty(relativePath))
        {
            return "other";
        }

        var span = relativePath.AsSpan().TrimStart('/');
        var end = span.IndexOfAny('/', '?');
        var first = end < 0 ? span : span[..end];
        return KnownResources.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(first, out var canonical) ? canonical : "other";
    }

    private static readonly Dictionary<string, string> KnownResources = new[]
    {
        "Contacts", "Organisations", "Leads", "Opportunities", "Notes", "Tasks", "Projects", "Users", "Pipelines",
        "PipelineStages", "CustomFields", "LeadStatuses", "LeadSources", "OpportunityStateReasons", "Instance", "Events",
        "Emails", "FileAttachments", "Comments", "Milestones", "Products", "Quotes", "Tickets", "Teams", "Tags",
        "Countries", "Currencies", "ActivitySets", "Relationships", "Permissions", "TaskCategories", "ProjectCategories",
        "OpportunityCategories", "RecordTypes", "CustomObjects", "KnowledgeArticle", "PricebookEntry", "Pricebook",
    }.ToDictionary(name => name, name => name, StringComparer.OrdinalIgnoreCase);
}
