using Insightly.Unified.Functions.Hosting;
using Insightly.Unified.LocalHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Insightly.Unified.UnitTests;

public sealed class LocalTimerSchedulerTests
{
    [Fact]
    public async Task A_schedule_months_away_waits_without_failing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("CREDENTIAL_CHECK_SCHEDULE", (string?)"0 0 0 1 3 *")])
            .Build();
        await using var services = new ServiceCollection().BuildServiceProvider();
        using var scheduler = new LocalTimerScheduler(
            new FunctionCatalog(), services.GetRequiredService<IServiceScopeFactory>(), configuration, time,
            NullLogger<LocalTimerScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        for (var day = 0; day < 60; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
            await Task.Yield();
        }

        Assert.False(scheduler.ExecuteTask!.IsCompleted, "The scheduler stopped instead of waiting for 1 March.");
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("%CREDENTIAL_CHECK_SCHEDULE%", null, "0 0 */6 * * *")]
    [InlineData("%CREDENTIAL_CHECK_SCHEDULE%", "0 */5 * * * *", "0 */5 * * * *")]
    [InlineData("0 0 1 * * *", null, "0 0 1 * * *")]
    public void Resolves_schedules_from_settings_as_the_Functions_host_does(string declared, string? setting, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("CREDENTIAL_CHECK_SCHEDULE", setting)])
            .Build();
        Assert.Equal(expected, LocalTimerScheduler.ResolveSchedule(declared, configuration));
    }
}
