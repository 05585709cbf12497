using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.LocalHost;
using Insightly.Unified.Telemetry;

namespace Insightly.Unified.LoadBench;

/// <summary>
/// Quota and storage, counted rather than timed: a local host in this process (so its <c>Insightly.Unified</c> meter
/// can be read) against the same fast fake, whose own request counts cross-check the meter.
/// </summary>
public static class Counts
{
    public static async Task RunAsync(Dictionary<string, string> settings, string key, int fakePort, Action<string> say)
    {
        settings["urls"] = "http://127.0.0.1:0";
        var app = LocalFunctionsHost.Create([], settings.ToDictionary(s => s.Key, s => (string?)s.Value), builder =>
            builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning));
        await app.StartAsync();
        using var meter = new MeterReader();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/api/"), Timeout = TimeSpan.FromMinutes(5) };
        using var fake = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fakePort}/") };
        try
        {
            using var linked = await http.PostAsJsonAsync("integrated-accounts", new { api_key = key, api_url = "https://api.na1.insightly.com/v3.1/", tenant_id = "bench-counts" });
            var accountId = JsonNode.Parse(await linked.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

            // Cold: the first page also reads the account's custom field definitions (then cached for Unified__LookupCacheTtl).
            await fake.PostAsync("__stats/reset", null);
            meter.Reset();
            await PageAllAsync(http, accountId, 100);
            var cold = await FakeStatsAsync(fake);
            say($"- **100,000 contacts, `limit=100`, cold account:** {cold.GetValueOrDefault("Contacts")} list calls " +
                $"(⌈100000/100⌉ = 1000) + {cold.GetValueOrDefault("CustomFields")} custom-field-definition call (the account's lookup cache was empty; " +
                $"it costs one call per account per 5 minutes, never one per page). Meter: {meter.Sum("insightly.upstream.calls", "insightly.resource", "Contacts")} Contacts and " +
                $"{meter.Sum("insightly.upstream.calls", "insightly.resource", "CustomFields")} CustomFields attempts.");

            await fake.PostAsync("__stats/reset", null);
            meter.Reset();
            await PageAllAsync(http, accountId, 500);
            var warm = await FakeStatsAsync(fake);
            say($"- **100,000 contacts, `limit=500`, warm:** {warm.GetValueOrDefault("Contacts")} list calls (⌈100000/500⌉ = 200), " +
                $"{warm.GetValueOrDefault("CustomFields")} custom-field calls.");

            // 10,000 requests to one account: 5,000 proxied lists and 5,000 unified gets, 16 at a time.
            await fake.PostAsync("__stats/reset", null);
            meter.Reset();
            var started = DateTime.UtcNow;
            await Parallel.ForAsync(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
            {
                var url = i % 2 == 0
                    ? $"proxy/Contacts?top=1&integrated_account_id={accountId}"
                    : $"unified/crm/contacts/101?integrated_account_id={accountId}";
                using var response = await http.GetAsync(url, cancellationToken);
                response.EnsureSuccessStatusCode();
            });
            var elapsed = DateTime.UtcNow - started;
            say($"- **10,000 requests to one account** (5,000 proxy lists + 5,000 unified gets, 16 at a time, {elapsed.TotalSeconds:N1} s): " +
                $"**{meter.Sum("unified.secret_store.reads")} secret-store (Key Vault) reads** and **{meter.Sum("unified.account_table.reads")} account-table reads**; " +
                $"{meter.Sum("insightly.upstream.calls")} upstream calls. (The rate-limit headers are written to the account row at most once a minute, " +
                "in the background, and that write updates the cached row rather than making the next request read it.)");
            say("");
            say("Cache hit ratios over those 10,000 requests (meter `unified.cache.hits` / `unified.cache.misses`):");
            say("");
            say("| cache | hits | misses | hit ratio |");
            say("|---|---:|---:|---:|");
            foreach (var cache in new[] { UnifiedMetrics.Caches.ApiKey, UnifiedMetrics.Caches.Account, UnifiedMetrics.Caches.Lookup })
            {
                var hits = meter.Sum("unified.cache.hits", "cache", cache);
                var misses = meter.Sum("unified.cache.misses", "cache", cache);
                say($"| {cache} | {hits:N0} | {misses:N0} | {(hits + misses == 0 ? "–" : (100.0 * hits / (hits + misses)).ToString("N2", CultureInfo.InvariantCulture) + " %")} |");
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task PageAllAsync(HttpClient http, string accountId, int limit)
    {
        string? cursor = null;
        var records = 0;
        do
        {
            var url = $"unified/crm/contacts?limit={limit}&include_remote_data=false&integrated_account_id={accountId}"
                      + (cursor is null ? "" : "&next_cursor=" + Uri.EscapeDataString(cursor));
            var page = JsonNode.Parse(await http.GetStringAsync(url))!;
            records += page["result"]!.AsArray().Count;
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        if (records != 100_000)
        {
            throw new InvalidOperationException($"Paged {records} contacts, not 100,000.");
        }
    }

    private static async Task<Dictionary<string, long>> FakeStatsAsync(HttpClient fake) =>
        await fake.GetFromJsonAsync<Dictionary<string, long>>("__stats") ?? [];

    /// <summary>Sums of the app's counters since the last reset, by instrument and one tag.</summary>
    private sealed class MeterReader : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> measurements = new();

        public MeterReader()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == UnifiedTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, tags.ToArray())));
            listener.Start();
        }

        public void Reset() => measurements.Clear();

        public long Sum(string instrument, string? tag = null, string? value = null) =>
            measurements.Where(m => m.Instrument == instrument && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))))
                .Sum(m => m.Value);

        public void Dispose() => listener.Dispose();
    }
}
