using System.Net;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>A host that tries a spent daily quota again after one second instead of fifteen minutes.</summary>
public sealed class QuickQuotaProbeFixture : ApiHostFixture
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Insightly:DailyQuotaProbeInterval"] = ProbeInterval.ToString(),
    };
}

/// <summary>
/// A spent daily quota is expected back at midnight UTC, which is unconfirmed: while it is spent, one real call a probe
/// interval goes to Insightly, so a quota that comes back early (or a plan upgrade) is noticed, and the others are
/// answered 429 without calling Insightly.
/// </summary>
public sealed class DailyQuotaProbeTests(QuickQuotaProbeFixture host) : IClassFixture<QuickQuotaProbeFixture>
{
    [Fact]
    public async Task A_quota_back_before_midnight_is_noticed_by_the_first_call_after_the_probe_interval()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        instance.ExhaustDailyQuota();
        host.Insightly.ClearRequests();

        using var spent = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");
        using var refused = await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}");
        instance.RestoreDailyQuota();
        using var stillRefused = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");
        var upstreamWhileSpent = Sent(key);
        await Task.Delay(QuickQuotaProbeFixture.ProbeInterval + TimeSpan.FromMilliseconds(200));
        using var probe = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");
        using var after = await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}");

        var first = await Json.ReadAsync(spent);
        Json.AssertError(first, 429, "rate_limited");
        Assert.Equal(("daily", 1L), (first["details"].Str("scope"), first["details"]!["retry_after_seconds"]!.GetValue<long>()));
        Assert.Equal(TimeSpan.FromSeconds(1), spent.Headers.RetryAfter?.Delta);
        Json.AssertError(await Json.ReadAsync(refused), 429, "rate_limited");
        Json.AssertError(await Json.ReadAsync(stillRefused), 429, "rate_limited");
        Assert.Equal(1, upstreamWhileSpent);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (probe.StatusCode, after.StatusCode));
        Assert.Equal(["Contacts", "Contacts", "CustomFields/Contacts", "Contacts"], host.Insightly.Requests.Where(r => r.ApiKey == key).Select(r => r.Path));
    }

    [Fact]
    public async Task A_quota_still_spent_lets_one_call_through_each_probe_interval_however_many_ask()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        instance.ExhaustDailyQuota();
        host.Insightly.ClearRequests();
        using var first = await host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}");
        await Task.Delay(QuickQuotaProbeFixture.ProbeInterval + TimeSpan.FromMilliseconds(200));

        var burst = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => host.Api.GetAsync($"proxy/Contacts?integrated_account_id={id}")));

        Assert.All(burst, response => Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode));
        Assert.Equal(2, Sent(key));
        foreach (var response in burst)
        {
            Json.AssertError(await Json.ReadAsync(response), 429, "rate_limited");
            response.Dispose();
        }
    }

    /// <summary>Calls that reached Insightly since the requests were cleared.</summary>
    private int Sent(string key) => host.Insightly.Requests.Count(r => r.ApiKey == key);
}
