using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Insightly.Unified.Telemetry;

/// <summary>
/// The app's own traces and metrics, under one name (<see cref="Name"/>) that both hosts export through
/// OpenTelemetry. Tags are low-cardinality facts only — an Insightly resource from a fixed list, a method, a
/// status, a pod, a cache name — and never an API key, a key version, a body or a query string. Recording is a
/// no-op while nothing listens, so the hot path pays only a branch.
/// </summary>
public static class UnifiedTelemetry
{
    /// <summary>The <see cref="Meter"/> and <see cref="ActivitySource"/> name to subscribe to.</summary>
    public const string Name = "Insightly.Unified";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Every HTTP attempt sent to Insightly (retries count again), by resource, method, status and pod.</summary>
    public static readonly Counter<long> UpstreamCalls = Meter.CreateCounter<long>(
        "insightly.upstream.calls", "{call}", "HTTP attempts sent to Insightly, retries included (each one costs quota).");

    /// <summary>Time from sending an attempt to Insightly's response headers.</summary>
    public static readonly Histogram<double> UpstreamDuration = Meter.CreateHistogram<double>(
        "insightly.upstream.duration", "s", "Time from sending an attempt to Insightly until its response headers arrived.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20] });

    public static readonly Counter<long> UpstreamRetries = Meter.CreateCounter<long>(
        "insightly.upstream.retries", "{retry}", "Attempts repeated after a 429, a 5xx, a timeout or a transport failure.");

    /// <summary>429s by scope (<c>second</c>, <c>daily</c>) and by who decided (<c>insightly</c> or we, <c>local</c>).</summary>
    public static readonly Counter<long> Throttled = Meter.CreateCounter<long>(
        "insightly.throttled", "{response}", "429s: Insightly's own (per second or daily quota) and those we answer before calling it.");

    public static readonly Counter<long> CircuitTransitions = Meter.CreateCounter<long>(
        "insightly.circuit.transitions", "{transition}", "Circuit breaker state changes, per pod.");

    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>(
        "unified.cache.hits", "{lookup}", "Reads served from a cache: api_key (the secret store), account (the account table), lookup (Insightly lookups and custom fields).");

    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>(
        "unified.cache.misses", "{lookup}", "Reads a cache could not serve, so the backing store was read.");

    public static readonly Counter<long> AccountTableReads = Meter.CreateCounter<long>(
        "unified.account_table.reads", "{read}", "Rows read from the integrated-accounts table, for any reason.");

    public static readonly Counter<long> SecretStoreReads = Meter.CreateCounter<long>(
        "unified.secret_store.reads", "{read}", "API keys read from Key Vault (or the development store) for requests: the key cache's reads.");

    public static readonly Counter<long> IdempotencyReplays = Meter.CreateCounter<long>(
        "unified.idempotency.replays", "{response}", "Requests answered with the stored first answer of their Idempotency-Key.");

    /// <summary>Cache names, the values of the <c>cache</c> tag.</summary>
    public static class Caches
    {
        public const string ApiKey = "api_key";
        public const string Account = "account";
        public const string Lookup = "lookup";
    }

    private static readonly ConcurrentDictionary<string, int> CircuitStates = new(StringComparer.Ordinal);

    static UnifiedTelemetry() =>
        Meter.CreateObservableGauge("insightly.circuit.state", ObserveCircuits, "{state}",
            "Circuit breaker state per pod: 0 closed, 1 half-open, 2 open.");

    public static void CacheLookup(string cache, bool hit) =>
        (hit ? CacheHits : CacheMisses).Add(1, new KeyValuePair<string, object?>("cache", cache));

    public static void ThrottledBy(string scope, string decidedBy) =>
        Throttled.Add(1, new("scope", scope), new("decided_by", decidedBy));

    /// <summary>Records a circuit breaker's new state (0 closed, 1 half-open, 2 open) for its pod.</summary>
    public static void CircuitChanged(string pod, int state)
    {
        pod = PodTag(pod);
        CircuitStates[pod] = state;
        CircuitTransitions.Add(1, new("insightly.pod", pod), new("state", state switch { 0 => "closed", 1 => "half_open", _ => "open" }));
    }

    private static IEnumerable<Measurement<int>> ObserveCircuits() =>
        CircuitStates.Select(pair => new Measurement<int>(pair.Value, new KeyValuePair<string, object?>("insightly.pod", pair.Key)));

    /// <summary>
    /// A pod for a metric tag: one of Insightly's known pods, else <c>other</c> — a key being verified may name any
    /// pod token, and a tag must not let a caller mint new series.
    /// </summary>
    public static string PodTag(string? pod) =>
        pod is not null && global::Insightly.Unified.IntegratedAccounts.InsightlyPod.Known.Contains(pod) ? pod : "other";

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
