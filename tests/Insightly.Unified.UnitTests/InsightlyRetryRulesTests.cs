using System.Net;
using Insightly.Unified.Insightly;
using Polly;
using Polly.Timeout;

namespace Insightly.Unified.UnitTests;

public sealed class InsightlyRetryRulesTests
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(20);

    public static TheoryData<string> RetriedMethods => new() { "GET", "PUT", "DELETE" };

    public static TheoryData<string> NeverRetriedMethods => new() { "POST", "PATCH" };

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Retries_throttling_and_server_errors_for_get_put_and_delete(int status)
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete })
        {
            Assert.True(InsightlyRetryRules.ShouldRetry(method, Outcome.FromResult(Response(status)), MaxRetryAfter, DateTimeOffset.UtcNow), $"{method} {status}");
        }
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void Never_retries_post_or_patch(int status)
    {
        Assert.False(InsightlyRetryRules.ShouldRetry(HttpMethod.Post, Outcome.FromResult(Response(status)), MaxRetryAfter, DateTimeOffset.UtcNow));
        Assert.False(InsightlyRetryRules.ShouldRetry(HttpMethod.Patch, Outcome.FromResult(Response(status)), MaxRetryAfter, DateTimeOffset.UtcNow));
        Assert.False(InsightlyRetryRules.ShouldRetry(HttpMethod.Post, Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), MaxRetryAfter, DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public void Does_not_retry_success_or_client_errors(int status) =>
        Assert.False(InsightlyRetryRules.ShouldRetry(HttpMethod.Get, Outcome.FromResult(Response(status)), MaxRetryAfter, DateTimeOffset.UtcNow));

    [Fact]
    public void Does_not_retry_when_the_daily_quota_is_spent()
    {
        var response = Response(429);
        response.Headers.Add("X-RateLimit-Remaining", "0");
        Assert.False(InsightlyRetryRules.ShouldRetry(HttpMethod.Get, Outcome.FromResult(response), MaxRetryAfter, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Retries_a_burst_429_that_still_has_daily_quota()
    {
        var response = Response(429);
        response.Headers.Add("X-RateLimit-Remaining", "1234");
        response.Headers.Add("Retry-After", "1");
        Assert.True(InsightlyRetryRules.ShouldRetry(HttpMethod.Get, Outcome.FromResult(response), MaxRetryAfter, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Does_not_wait_out_a_retry_after_longer_than_the_limit()
    {
        var response = Response(429);
        response.Headers.Add("Retry-After", "3600");
        Assert.False(InsightlyRetryRules.ShouldRetry(HttpMethod.Get, Outcome.FromResult(response), MaxRetryAfter, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Retries_timeouts_and_connection_failures_for_get()
    {
        Assert.True(InsightlyRetryRules.ShouldRetry(HttpMethod.Get, Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), MaxRetryAfter, DateTimeOffset.UtcNow));
        Assert.True(InsightlyRetryRules.ShouldRetry(HttpMethod.Get, Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused")), MaxRetryAfter, DateTimeOffset.UtcNow));
        Assert.False(InsightlyRetryRules.ShouldRetry(HttpMethod.Get, Outcome.FromException<HttpResponseMessage>(new InvalidOperationException()), MaxRetryAfter, DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData(429, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    public void Only_server_failures_count_against_the_circuit_breaker(int status, bool counts) =>
        Assert.Equal(counts, InsightlyRetryRules.CountsAsFailure(Outcome.FromResult(Response(status))));

    private static HttpResponseMessage Response(int status) => new((HttpStatusCode)status);
}
