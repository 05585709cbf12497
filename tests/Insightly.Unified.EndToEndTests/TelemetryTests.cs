using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Insightly.Unified.Telemetry;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// What the host records while it serves requests: the spans from the request down to each Insightly attempt, and
/// the meter's counts — with the account's API key in no tag of any span or measurement.
/// </summary>
public sealed class TelemetryTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>, IDisposable
{
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> measurements = new();
    private readonly ConcurrentQueue<Activity> activities = new();
    private MeterListener? meters;
    private ActivityListener? spans;

    [Fact]
    public async Task Warm_requests_hit_the_caches_and_every_span_and_tag_leaves_the_key_out()
    {
        var (instance, key) = host.NewInstance();
        instance.SeedStandardData();
        instance.SeedContacts(5);
        var id = (await host.LinkAsync(key))["id"]!.GetValue<string>();
        Listen();

        for (var i = 0; i < 3; i++)
        {
            using var proxied = await host.Api.GetAsync($"proxy/Contacts?top=2&integrated_account_id={id}");
            Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
            using var unified = await host.Api.GetAsync($"unified/crm/contacts?limit=2&integrated_account_id={id}");
            Assert.Equal(HttpStatusCode.OK, unified.StatusCode);
        }

        Stop();
        Assert.True(Sum("unified.cache.hits", ("cache", "account")) >= 4, "account cache hits");
        Assert.True(Sum("unified.cache.hits", ("cache", "api_key")) >= 5, "key cache hits");
        Assert.True(Sum("unified.cache.hits", ("cache", "lookup")) >= 2, "lookup cache hits");
        Assert.True(Sum("insightly.upstream.calls", ("insightly.resource", "Contacts"), ("http.response.status_code", 200)) >= 6, "upstream calls");

        // The request's span → one span per Insightly call → one HTTP client span per attempt.
        var calls = activities.Where(a => a.Source.Name == UnifiedTelemetry.Name && a.DisplayName == "Insightly GET Contacts"
                                          && a.GetTagItem("insightly.rate_limit_key") as string == id).ToList();
        Assert.Equal(6, calls.Count);
        Assert.All(calls, call =>
        {
            Assert.Equal(ActivityKind.Server, call.Parent?.Kind);
            Assert.Contains(activities, a => a.ParentSpanId == call.SpanId && a.Kind == ActivityKind.Client);
        });

        var keyParts = new[] { key, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key + ":")) };
        var tagValues = measurements.SelectMany(m => m.Tags).Select(t => t.Value?.ToString())
            .Concat(activities.SelectMany(a => a.TagObjects).Select(t => t.Value?.ToString()))
            .Concat(activities.Select(a => a.DisplayName));
        Assert.DoesNotContain(tagValues, value => value is not null && keyParts.Any(part => value.Contains(part, StringComparison.Ordinal)));
    }

    public void Dispose() => Stop();

    private void Listen()
    {
        meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == UnifiedTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, (long)value, tags.ToArray())));
        meters.Start();
        spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name is UnifiedTelemetry.Name or "System.Net.Http" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(spans);
    }

    private void Stop()
    {
        meters?.Dispose();
        spans?.Dispose();
    }

    private long Sum(string instrument, params (string Key, object Value)[] tags) =>
        measurements.Where(m => m.Instrument == instrument
                                && tags.All(t => m.Tags.Any(tag => tag.Key == t.Key && Equals(tag.Value, t.Value))))
            .Sum(m => m.Value);
}
