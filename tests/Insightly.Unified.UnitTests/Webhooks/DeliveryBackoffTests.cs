using Insightly.Unified.Webhooks;

namespace Insightly.Unified.UnitTests.Webhooks;

public sealed class DeliveryBackoffTests
{
    [Fact]
    public void The_default_schedule_doubles_from_a_minute_to_four_hours_and_spans_about_a_day()
    {
        var schedule = DeliveryBackoff.Schedule(new WebhookOptions());

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 240, 240, 240, 240, 240], schedule.Select(d => d.TotalMinutes));
        var total = schedule.Aggregate(TimeSpan.Zero, (sum, d) => sum + d);
        Assert.Equal(TimeSpan.FromMinutes(1455), total);
        // With jitter the span stays "about a day": 18 to 30 hours.
        Assert.InRange(schedule.Aggregate(TimeSpan.Zero, (sum, d) => sum + DeliveryBackoff.WithJitter(d, 0)), TimeSpan.FromHours(18), TimeSpan.FromHours(24));
        Assert.InRange(schedule.Aggregate(TimeSpan.Zero, (sum, d) => sum + DeliveryBackoff.WithJitter(d, 0.999999)), TimeSpan.FromHours(24), TimeSpan.FromHours(31));
    }

    [Theory]
    [InlineData(0.0, 45)]
    [InlineData(0.5, 60)]
    [InlineData(0.999999, 75)]
    public void Jitter_moves_a_delay_by_at_most_a_quarter(double random, int seconds) =>
        Assert.Equal(seconds, DeliveryBackoff.WithJitter(TimeSpan.FromMinutes(1), random).TotalSeconds, precision: 3);

    [Fact]
    public void The_schedule_follows_the_options_and_is_capped()
    {
        var options = new WebhookOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(250), RetryMaxDelay = TimeSpan.FromSeconds(1), MaxAttempts = 6 };

        Assert.Equal([250, 500, 1000, 1000, 1000], DeliveryBackoff.Schedule(options).Select(d => d.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(1), DeliveryBackoff.Delay(1000, options));
        Assert.Empty(DeliveryBackoff.Schedule(new WebhookOptions { MaxAttempts = 1 }));
    }

    [Fact]
    public void Options_refuse_delays_a_queue_message_cannot_wait()
    {
        Assert.True(new WebhookOptions().IsValid(out _));
        Assert.False(new WebhookOptions { RetryMaxDelay = TimeSpan.FromDays(8) }.IsValid(out _));
        Assert.False(new WebhookOptions { RetryBaseDelay = TimeSpan.Zero }.IsValid(out _));
        Assert.False(new WebhookOptions { RetryBaseDelay = TimeSpan.FromHours(5), RetryMaxDelay = TimeSpan.FromHours(4) }.IsValid(out _));
    }
}
