using System.Net;
using System.Text;
using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Insightly.Unified.UnitTests;

public sealed class InsightlyErrorsTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 4, 22, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(400, 422, ErrorCodes.RemoteValidationError)]
    [InlineData(401, 401, ErrorCodes.AccountNeedsReauth)]
    [InlineData(403, 403, ErrorCodes.RemoteForbidden)]
    [InlineData(404, 404, ErrorCodes.NotFound)]
    [InlineData(429, 429, ErrorCodes.RateLimited)]
    [InlineData(500, 502, ErrorCodes.UpstreamError)]
    [InlineData(503, 502, ErrorCodes.UpstreamError)]
    public async Task Maps_Insightly_statuses_to_the_contract(int upstream, int status, string error)
    {
        var exception = await InsightlyErrors.FromResponseAsync(Response(upstream, """{"Message":"Field X is invalid"}"""), time, CancellationToken.None);

        Assert.Equal(status, exception.StatusCode);
        Assert.Equal(error, exception.Error);
        Assert.Equal(upstream, exception.Remote!.Status);
        Assert.Equal("Field X is invalid", exception.Remote.RawResponse!["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_spent_daily_quota_waits_until_the_next_utc_midnight()
    {
        var response = Response(429, """{"Message":"limit"}""");
        response.Headers.Add("X-RateLimit-Remaining", "0");

        var exception = await InsightlyErrors.FromResponseAsync(response, time, CancellationToken.None);

        Assert.Equal(429, exception.StatusCode);
        Assert.Equal("daily", exception.Details!["scope"]!.GetValue<string>());
        Assert.Equal("7200", exception.Headers["Retry-After"]);
    }

    [Fact]
    public async Task A_burst_429_passes_on_Insightlys_retry_after()
    {
        var response = Response(429, "");
        response.Headers.Add("Retry-After", "3");

        var exception = await InsightlyErrors.FromResponseAsync(response, time, CancellationToken.None);

        Assert.Equal("second", exception.Details!["scope"]!.GetValue<string>());
        Assert.Equal("3", exception.Headers["Retry-After"]);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_kept_as_text()
    {
        var exception = await InsightlyErrors.FromResponseAsync(Response(502, "<html>Bad gateway</html>"), time, CancellationToken.None);
        Assert.Equal("<html>Bad gateway</html>", exception.Remote!.RawResponse!.GetValue<string>());
    }

    [Fact]
    public void Maps_transport_failures_to_timeouts_and_unavailability()
    {
        Assert.Equal(504, InsightlyErrors.FromTransportFailure(new TimeoutRejectedException(), CancellationToken.None)!.StatusCode);
        Assert.Equal(503, InsightlyErrors.FromTransportFailure(new BrokenCircuitException(), CancellationToken.None)!.StatusCode);
        Assert.Equal(503, InsightlyErrors.FromTransportFailure(new HttpRequestException("refused"), CancellationToken.None)!.StatusCode);
        Assert.Null(InsightlyErrors.FromTransportFailure(new InvalidOperationException(), CancellationToken.None));
    }

    [Fact]
    public void A_caller_that_cancelled_gets_its_cancellation_back_not_an_upstream_error()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Null(InsightlyErrors.FromTransportFailure(new TaskCanceledException(), cancelled.Token));
    }

    private static HttpResponseMessage Response(int status, string body) =>
        new((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
