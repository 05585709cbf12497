using Insightly.Unified.Configuration;
using Insightly.Unified.Insightly;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.UnitTests;

/// <summary>On the real clock: the token buckets measure elapsed time themselves.</summary>
public sealed class InsightlyRateLimitersTests
{
    [Fact]
    public async Task Each_key_gets_one_permit_per_period_independently_of_the_others()
    {
        using var limiters = Limiters(idle: TimeSpan.FromMinutes(1));
        var started = TimeProvider.System.GetTimestamp();

        for (var i = 0; i < 4; i++)
        {
            using var lease = await limiters.AcquireAsync("account-a", default);
            Assert.True(lease.IsAcquired);
        }

        var forA = TimeProvider.System.GetElapsedTime(started);
        using var other = await limiters.AcquireAsync("account-b", default);

        // Four permits for one key need three refills of 125 ms (8 a second).
        Assert.True(forA >= TimeSpan.FromMilliseconds(300), $"four permits took only {forA}");
        Assert.True(other.IsAcquired);
    }

    [Fact]
    public async Task Buckets_unused_for_the_idle_timeout_are_dropped()
    {
        using var limiters = Limiters(idle: TimeSpan.FromMilliseconds(300));
        for (var account = 0; account < 5000; account++)
        {
            using var _ = await limiters.AcquireAsync($"account-{account}", default);
        }

        Assert.Equal(5000, limiters.Count);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (limiters.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, limiters.Count);
        using var again = await limiters.AcquireAsync("account-1", default);
        Assert.True(again.IsAcquired);
    }

    private static InsightlyRateLimiters Limiters(TimeSpan idle) =>
        new(Options.Create(new InsightlyOptions { RequestsPerSecond = 8, LimiterIdleTimeout = idle }), TimeProvider.System);
}
