using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

public sealed class ResilienceTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Throttled_calls_are_retried_after_Retry_After_until_they_get_through()
    {
        var (_, key) = host.NewInstance();
        host.Insightly.AddFault(new ScriptedFault(key, "Users/Me", 429, 2, RetryAfter: "1"));

        var account = await host.LinkAsync(key);

        Assert.Equal("active", account.Str("status"));
        Assert.Equal(3, host.Insightly.Requests.Count(r => r.ApiKey == key && r.Path == "Users/Me"));
    }

    [Fact]
    public async Task Server_errors_are_retried_with_back_off()
    {
        var (_, key) = host.NewInstance();
        host.Insightly.AddFault(new ScriptedFault(key, "Instance", 503, 2));

        var account = await host.LinkAsync(key);

        Assert.Equal("active", account.Str("status"));
        Assert.Equal(3, host.Insightly.Requests.Count(r => r.ApiKey == key && r.Path == "Instance"));
    }

    [Fact]
    public async Task A_spent_daily_quota_is_429_until_midnight_without_retries()
    {
        var (instance, key) = host.NewInstance();
        instance.ExhaustDailyQuota();

        using var response = await host.Api.PostAsJsonAsync("integrated-accounts", new { api_key = key, pod = "na1" });
        var error = await Json.ReadAsync(response);

        Json.AssertError(error, 429, "rate_limited");
        Assert.Equal("daily", error["details"].Str("scope"));
        var retryAfter = response.Headers.RetryAfter!.Delta!.Value;
        var untilMidnight = DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow;
        Assert.InRange(retryAfter.TotalSeconds, untilMidnight.TotalSeconds - 60, untilMidnight.TotalSeconds + 60);
        Assert.Equal(1, host.Insightly.Requests.Count(r => r.ApiKey == key));
    }

    [Fact]
    public async Task A_daily_quota_spent_on_a_linked_account_stops_further_upstream_calls()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        instance.ExhaustDailyQuota();

        var first = await Json.ReadAsync(await host.Api.PostAsync($"integrated-accounts/{id}/validate", null));
        var second = await Json.ReadAsync(await host.Api.PostAsync($"integrated-accounts/{id}/validate", null));

        Assert.Equal(429, first["last_error"]!["status"]!.GetValue<int>());
        Assert.Equal(429, second["last_error"]!["status"]!.GetValue<int>());
        // The quota headers reach the row in the background, so the check's own answer may not show them yet.
        Assert.Equal(0, (await RateLimitRemainingAsync(id, expected: 0))["rate_limit"]!["remaining"]!.GetValue<long>());
        Assert.Equal(3, host.Insightly.Requests.Count(r => r.ApiKey == key)); // two to link, one to learn the quota is gone
    }

    [Fact]
    public async Task An_upstream_that_does_not_answer_is_504_upstream_timeout()
    {
        var (_, key) = host.NewInstance();
        host.Insightly.AddFault(new ScriptedFault(key, "Users/Me", 200, 10, Delay: TimeSpan.FromSeconds(20)));

        using var response = await host.Api.PostAsJsonAsync("integrated-accounts", new { api_key = key, pod = "na1" });

        Json.AssertError(await Json.ReadAsync(response), 504, "upstream_timeout");
    }

    [Fact]
    public async Task A_burst_of_calls_for_one_account_stays_under_Insightlys_rate_limit()
    {
        var (_, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        var throttledBefore = host.Insightly.ThrottledCount;

        var checks = Enumerable.Range(0, 12).Select(_ => host.Api.PostAsync($"integrated-accounts/{id}/validate", null));
        var responses = await Task.WhenAll(checks);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(throttledBefore, host.Insightly.ThrottledCount);
    }

    private async Task<JsonObject> RateLimitRemainingAsync(string id, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var account = await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{id}"));
            if (account["rate_limit"]?["remaining"]?.GetValue<long>() == expected || DateTime.UtcNow > deadline)
            {
                return account;
            }

            await Task.Delay(50);
        }
    }
}
