using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Insightly.Unified.Telemetry;

/// <summary>
/// The app's instruments, on one meter named <see cref="UnifiedTelemetry.Name"/> that the host's
/// <see cref="IMeterFactory"/> creates: state such as the circuit gauge's pods belongs to one host, not to the
/// process (listeners still subscribe by name, so one listener hears every host in a process). Tags
/// are low-cardinality facts only — an Insightly resource from a fixed list, a method, a status, a pod, a cache
/// name — never an API key, a key version, a body or a query string. Recording is a no-op while nothing
/// listens, so the hot path pays only a branch.
/// </summary>
public sealed class UnifiedMetrics
{
    /// <summary>Cache names, the values of the <c>cache</c> tag.</summary>
    public static class Caches
    {
        public const string ApiKey = "api_key";
        public const string Account = "account";
        public const string Lookup = "lookup";
    }

    private readonly ConcurrentDictionary<string, int> circuitStates = new(StringComparer.Ordinal);

    public UnifiedMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(UnifiedTelemetry.Name);
        UpstreamCalls = meter.CreateCounter<long>(
            "insightly.upstream.calls", "{call}", "HTTP attempts sent to Insightly, retries included (each one costs quota).");
        UpstreamDuration = meter.CreateHistogram<double>(
            "insightly.upstream.duration", "s", "Time from sending an attempt to Insightly until its response headers arrived.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20] });
        UpstreamRetries = meter.CreateCounter<long>(
            "insightly.upstream.retries", "{retry}", "Attempts repeated after a 429, a 5xx, a timeout or a transport failure.");
        throttled = meter.CreateCounter<long>(
            "insightly.throttled", "{response}", "429s: Insightly's own (per second or daily quota) and those we answer before calling it.");
        circuitTransitions = meter.CreateCounter<long>(
            "insightly.circuit.transitions", "{transition}", "Circuit breaker state changes, per pod.");
        meter.CreateObservableGauge("insightly.circuit.state", ObserveCircuits, "{state}",
            "Circuit breaker state per pod: 0 closed, 1 half-open, 2 open.");
        cacheHits = meter.CreateCounter<long>(
            "unified.cache.hits", "{lookup}", "Reads served from a cache: api_key (the secret store), account (the account table), lookup (Insightly lookups and custom fields).");
        cacheMisses = meter.CreateCounter<long>(
            "unified.cache.misses", "{lookup}", "Reads a cache could not serve, so the backing store was read.");
        AccountTableReads = meter.CreateCounter<long>(
            "unified.account_table.reads", "{read}", "Rows read from the integrated-accounts table, for any reason.");
        SecretStoreReads = meter.CreateCounter<long>(
            "unified.secret_store.reads", "{read}", "API keys read from Key Vault (or the development store) through the key cache, for requests and the credential check.");
        idempotencyReplays = meter.CreateCounter<long>(
            "unified.idempotency.replays", "{response}", "Requests answered with the stored first answer of their Idempotency-Key.");
    }

    /// <summary>Every HTTP attempt sent to Insightly (retries count again), by resource, method, status and pod.</summary>
    public Counter<long> UpstreamCalls { get; }

    /// <summary>Time from sending an attempt to Insightly's response headers.</summary>
    public Histogram<double> UpstreamDuration { get; }

    public Counter<long> UpstreamRetries { get; }

    public Counter<long> AccountTableReads { get; }

    public Counter<long> SecretStoreReads { get; }

    private readonly Counter<long> throttled;
    private readonly Counter<long> circuitTransitions;
    private readonly Counter<long> cacheHits;
    private readonly Counter<long> cacheMisses;
    private readonly Counter<long> idempotencyReplays;

    public void CacheLookup(string cache, bool hit) =>
        (hit ? cacheHits : cacheMisses).Add(1, new KeyValuePair<string, object?>("cache", cache));

    /// <summary>A 429 by scope (<c>second</c>, <c>daily</c>) and by who decided (<c>insightly</c> or we, <c>local</c>).</summary>
    public void ThrottledBy(string scope, string decidedBy) =>
        throttled.Add(1, new("scope", scope), new("decided_by", decidedBy));

    public void IdempotencyReplayed(string resource) =>
        idempotencyReplays.Add(1, new KeyValuePair<string, object?>("resource", resource));

    /// <summary>Records a circuit breaker's new state (0 closed, 1 half-open, 2 open) for its pod.</summary>
    public void CircuitChanged(string? pod, int state)
    {
        var tag = UnifiedTelemetry.PodTag(pod);
        circuitStates[tag] = state;
        circuitTransitions.Add(1, new("insightly.pod", tag), new("state", state switch { 0 => "closed", 1 => "half_open", _ => "open" }));
    }

    private IEnumerable<Measurement<int>> ObserveCircuits() =>
        circuitStates.Select(pair => new Measurement<int>(pair.Value, new KeyValuePair<string, object?>("insightly.pod", pair.Key)));
}

public static class UnifiedMetricsRegistration
{
    /// <summary>Registers <see cref="UnifiedMetrics"/> once, on the host's meter factory.</summary>
    public static IServiceCollection AddUnifiedMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<UnifiedMetrics>();
        return services;
    }
}
