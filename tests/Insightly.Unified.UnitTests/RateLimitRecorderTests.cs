using System.Net;
using Azure.Data.Tables;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Insightly.Unified.UnitTests;

/// <summary>
/// A spent daily quota is expected back at midnight UTC (unconfirmed): until then calls are answered 429 without
/// calling Insightly, except one per probe interval, which finds out whether it came back early.
/// </summary>
public sealed class RateLimitRecorderTests
{
    private const string Account = "ia-quota";
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 3, 30, 10, 0, 0, TimeSpan.Zero));
    private readonly RateLimitRecorder recorder;

    public RateLimitRecorderTests() =>
        recorder = new RateLimitRecorder(
            new AccountRepository(new Mock<TableClient>().Object, TestMetrics.Create(), TimeSpan.Zero, time), TestMetrics.Create(),
            Options.Create(new InsightlyOptions { DailyQuotaProbeInterval = Interval }), time, NullLogger<RateLimitRecorder>.Instance);

    [Fact]
    public void A_spent_quota_is_answered_here_until_the_probe_interval_passes_then_one_call_goes_to_Insightly()
    {
        recorder.Record(Account, Spent());

        time.Advance(TimeSpan.FromMinutes(5));
        var refused = Assert.Throws<ApiException>(() => recorder.ThrowIfDailyQuotaExhausted(Account));
        time.Advance(TimeSpan.FromMinutes(10));
        recorder.ThrowIfDailyQuotaExhausted(Account);
        var afterProbe = Assert.Throws<ApiException>(() => recorder.ThrowIfDailyQuotaExhausted(Account));

        Assert.Equal((429, ErrorCodes.RateLimited, "daily"), (refused.StatusCode, refused.Error, refused.Details!["scope"]!.GetValue<string>()));
        Assert.Equal("600", refused.Headers["Retry-After"]);
        Assert.Equal("900", afterProbe.Headers["Retry-After"]);
    }

    [Fact]
    public void A_probe_that_Insightly_answers_ends_the_spent_quota()
    {
        recorder.Record(Account, Spent());
        time.Advance(Interval);
        recorder.ThrowIfDailyQuotaExhausted(Account);

        recorder.Record(Account, new HttpResponseMessage(HttpStatusCode.OK));

        recorder.ThrowIfDailyQuotaExhausted(Account);
        recorder.ThrowIfDailyQuotaExhausted(Account);
    }

    [Fact]
    public void A_probe_that_meets_the_spent_quota_again_waits_another_interval()
    {
        recorder.Record(Account, Spent());
        time.Advance(Interval);
        recorder.ThrowIfDailyQuotaExhausted(Account);

        recorder.Record(Account, Spent());
        time.Advance(Interval - TimeSpan.FromSeconds(1));

        Assert.Equal("1", Assert.Throws<ApiException>(() => recorder.ThrowIfDailyQuotaExhausted(Account)).Headers["Retry-After"]);
    }

    [Fact]
    public void Of_many_calls_at_probe_time_exactly_one_goes_to_Insightly()
    {
        recorder.Record(Account, Spent());
        time.Advance(Interval);

        var passed = 0;
        Parallel.For(0, 200, _ =>
        {
            try
            {
                recorder.ThrowIfDailyQuotaExhausted(Account);
                Interlocked.Increment(ref passed);
            }
            catch (ApiException)
            {
            }
        });

        Assert.Equal(1, passed);
    }

    [Fact]
    public void Near_midnight_the_wait_is_until_midnight_and_after_it_the_quota_is_assumed_back()
    {
        time.SetUtcNow(new DateTimeOffset(2025, 3, 30, 23, 55, 0, TimeSpan.Zero));
        recorder.Record(Account, Spent());

        var refused = Assert.Throws<ApiException>(() => recorder.ThrowIfDailyQuotaExhausted(Account));
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("300", refused.Headers["Retry-After"]);
        Assert.Contains("midnight UTC", refused.Message, StringComparison.Ordinal);
        recorder.ThrowIfDailyQuotaExhausted(Account);
        recorder.ThrowIfDailyQuotaExhausted(Account);
    }

    [Fact]
    public void The_answer_to_the_call_that_met_the_spent_quota_says_when_it_is_tried_again()
    {
        var error = recorder.DailyQuotaExhausted(new RemoteFailure(429, null));

        Assert.Equal((429, "900", 900L), (error.StatusCode, error.Headers["Retry-After"], error.Details!["retry_after_seconds"]!.GetValue<long>()));
        Assert.Equal(429, error.Remote!.Status);
    }

    [Fact]
    public void Another_accounts_spent_quota_does_not_stop_this_one()
    {
        recorder.Record("ia-other", Spent());

        recorder.ThrowIfDailyQuotaExhausted(Account);
    }

    /// <summary>A 429 with nothing left today, as Insightly answers when the daily quota is spent.</summary>
    private static HttpResponseMessage Spent() => new(HttpStatusCode.TooManyRequests)
    {
        Headers = { { "X-RateLimit-Limit", "1000" }, { "X-RateLimit-Remaining", "0" } },
    };
}
