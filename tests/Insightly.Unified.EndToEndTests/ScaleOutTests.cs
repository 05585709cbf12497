using System.Collections.Concurrent;
using System.Net;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Production-like timeouts, so throttling is waited out as it would be in Azure.</summary>
public sealed class ScaleOutFixture : ApiHostFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Insightly:AttemptTimeout"] = "00:00:20",
        ["Insightly:TotalTimeout"] = "00:01:00",
    };
}

[CollectionDefinition(nameof(ScaleOutTests), DisableParallelization = true)]
public sealed class ScaleOutCollection;

/// <summary>
/// Two instances of the app (as Flex Consumption scales out) calling one account, whose Insightly allows 10 requests
/// a second: each instance's own limiter allows 8, so together they offer more than Insightly takes.
/// </summary>
[Collection(nameof(ScaleOutTests))]
public sealed class ScaleOutTests(ScaleOutFixture host, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ScaleOutFixture>
{
    [Fact]
    public async Task Two_instances_at_concurrency_16_each_on_one_account_see_at_most_one_percent_429s_and_no_other_failure()
    {
        var (instance, key) = host.NewInstance();
        instance.SeedContacts(20);
        var id = (await host.LinkAsync(key)).Str("id");
        var (second, secondApi) = await host.StartHostAsync();
        await using var _ = second;
        using var __ = secondApi;
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);

        var callers = new[] { host.Api, secondApi }.SelectMany(api => Enumerable.Range(0, 16).Select(async _ =>
        {
            while (DateTime.UtcNow < until)
            {
                using var response = await api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&limit=5");
                statuses.Add(response.StatusCode);
            }
        }));
        await Task.WhenAll(callers);

        var byStatus = statuses.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var throttled = byStatus.GetValueOrDefault(HttpStatusCode.TooManyRequests);
        var summary = string.Join(", ", byStatus.Select(p => $"{(int)p.Key}: {p.Value}"));
        output.WriteLine($"{statuses.Count} answers ({summary}); Insightly refused {host.Insightly.ThrottledCount} calls with its per-second limit");
        Assert.True(byStatus.Keys.All(s => s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests), summary);
        Assert.True(throttled <= statuses.Count / 100, $"{throttled} of {statuses.Count} answers were 429 ({summary}); Insightly refused {host.Insightly.ThrottledCount} calls");
    }
}
