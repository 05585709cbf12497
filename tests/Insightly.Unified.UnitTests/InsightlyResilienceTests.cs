using System.Net;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.UnitTests;

/// <summary>The configured pipeline end to end over a scripted handler: how many attempts really go out.</summary>
public sealed class InsightlyResilienceTests
{
    private static readonly InsightlyCredentials Credentials = new("na1", "key");

    [Fact]
    public async Task A_get_that_meets_server_errors_is_retried_until_it_succeeds()
    {
        var handler = new ScriptedHandler(503, 503, 200);
        using var response = await Send(handler, HttpMethod.Get);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task A_post_is_sent_once_whatever_the_answer()
    {
        var handler = new ScriptedHandler(503, 200);
        using var response = await Send(handler, HttpMethod.Post);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task A_spent_daily_quota_is_not_retried()
    {
        var handler = new ScriptedHandler(429, 200) { RemainingOnThrottle = "0" };
        using var response = await Send(handler, HttpMethod.Get);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task A_burst_429_is_retried_after_the_delay_Insightly_asks_for()
    {
        var handler = new ScriptedHandler(429, 200) { RemainingOnThrottle = "500", RetryAfter = "1" };
        var started = DateTimeOffset.UtcNow;
        using var response = await Send(handler, HttpMethod.Get);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, handler.Calls);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(0.9), "Retry-After: 1 was not honoured");
    }

    [Fact]
    public async Task A_Retry_After_that_would_not_fit_the_total_timeout_goes_back_at_once_as_429()
    {
        var handler = new ScriptedHandler(429, 200) { RemainingOnThrottle = "500", RetryAfter = "3" };
        var started = TimeProvider.System.GetTimestamp();
        using var response = await Send(handler, HttpMethod.Get, totalTimeoutSeconds: 2.5);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, handler.Calls);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(1), "the caller waited for a retry that could not fit");
    }

    [Fact]
    public async Task Accounts_on_one_pod_share_one_pipeline()
    {
        var handler = new ScriptedHandler(200);
        await using var provider = Provider(handler, 5);
        var client = provider.GetRequiredService<InsightlyClient>();
        for (var account = 0; account < 50; account++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("Contacts", UriKind.Relative));
            using var _ = await client.SendAsync(request, Credentials, $"account-{account}", HttpCompletionOption.ResponseContentRead, default);
        }

        Assert.Equal(1, provider.GetRequiredService<ResilienceCounters>().Pipelines);
        Assert.Equal(50, provider.GetRequiredService<InsightlyRateLimiters>().Count);
    }

    [Fact]
    public async Task An_upstream_that_never_answers_becomes_upstream_timeout()
    {
        var handler = new ScriptedHandler(200) { Delay = TimeSpan.FromSeconds(30) };
        var error = await Assert.ThrowsAsync<ApiException>(() => Send(handler, HttpMethod.Get, totalTimeoutSeconds: 0.8, attemptTimeoutSeconds: 0.5));

        Assert.Equal(504, error.StatusCode);
        Assert.Equal(ErrorCodes.UpstreamTimeout, error.Error);
    }

    private static async Task<HttpResponseMessage> Send(ScriptedHandler handler, HttpMethod method, double totalTimeoutSeconds = 5, double attemptTimeoutSeconds = 0.2)
    {
        await using var provider = Provider(handler, totalTimeoutSeconds, attemptTimeoutSeconds);
        var client = provider.GetRequiredService<InsightlyClient>();
        using var request = new HttpRequestMessage(method, new Uri("Contacts", UriKind.Relative));
        return await client.SendAsync(request, Credentials, "account-1", HttpCompletionOption.ResponseContentRead, CancellationToken.None);
    }

    private static ServiceProvider Provider(ScriptedHandler handler, double totalTimeoutSeconds, double attemptTimeoutSeconds = 0.2)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(new InsightlyOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            AttemptTimeout = TimeSpan.FromSeconds(attemptTimeoutSeconds),
            TotalTimeout = TimeSpan.FromSeconds(totalTimeoutSeconds),
        }));
        services.AddSingleton<InsightlyEndpoints>();
        services.AddHttpClient<InsightlyClient>().AddInsightlyResilience().ConfigurePrimaryHttpMessageHandler(() => handler);
        return services.BuildServiceProvider();
    }

    private sealed class ScriptedHandler(params int[] statuses) : HttpMessageHandler
    {
        private int calls;

        public int Calls => calls;

        public string? RemainingOnThrottle { get; init; }

        public string? RetryAfter { get; init; }

        public TimeSpan? Delay { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var index = Interlocked.Increment(ref calls) - 1;
            if (Delay is { } delay)
            {
                await Task.Delay(delay, cancellationToken);
            }

            var response = new HttpResponseMessage((HttpStatusCode)statuses[Math.Min(index, statuses.Length - 1)]);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                if (RemainingOnThrottle is not null)
                {
                    response.Headers.Add("X-RateLimit-Remaining", RemainingOnThrottle);
                }

                if (RetryAfter is not null)
                {
                    response.Headers.Add("Retry-After", RetryAfter);
                }
            }

            return response;
        }
    }
}
