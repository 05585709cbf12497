using Insightly.Unified.Configuration;
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
            new FunctionCatalog(),
            new TimerFunctionInvoker(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<TimerFunctionInvoker>.Instance),
            configuration, time, NullLogger<LocalTimerScheduler>.Instance);

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
    [InlineData("%CREDENTIAL_CHECK_SCHEDULE%", "0 */5 * * * *", "0 */5 * * * *")]
    [InlineData("0 0 1 * * *", null, "0 0 1 * * *")]
    public void Resolves_schedules_from_settings_as_the_Functions_host_does(string declared, string? setting, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("CREDENTIAL_CHECK_SCHEDULE", setting)])
            .Build();
        Assert.Equal(expected, LocalTimerScheduler.ResolveSchedule(declared, configuration));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_unset_schedule_setting_does_not_resolve_and_has_no_fallback_as_in_the_Functions_host(string? setting)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("CREDENTIAL_CHECK_SCHEDULE", setting)])
            .Build();
        var error = Assert.Throws<InvalidOperationException>(() => LocalTimerScheduler.ResolveSchedule("%CREDENTIAL_CHECK_SCHEDULE%", configuration));
        Assert.Contains("CREDENTIAL_CHECK_SCHEDULE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_schedule_unset_the_timer_is_disabled_and_the_scheduler_ends_quietly()
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        var logs = new ListLogger<LocalTimerScheduler>();
        using var scheduler = new LocalTimerScheduler(
            new FunctionCatalog(),
            new TimerFunctionInvoker(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<TimerFunctionInvoker>.Instance),
            new ConfigurationBuilder().Build(), TimeProvider.System, logs);

        await scheduler.StartAsync(CancellationToken.None);
        await scheduler.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(logs.Lines, line => line.Contains("CredentialCheck is disabled", StringComparison.Ordinal)
                                            && line.Contains("CREDENTIAL_CHECK_SCHEDULE", StringComparison.Ordinal));
    }

    /// <summary>
    /// The default schedule is defined once, as <c>CredentialCheckOptions.DefaultSchedule</c>; the two places a host
    /// reads it from — the sample local settings (run.sh copies them) and the Bicep parameter that becomes the app
    /// setting in Azure — must carry exactly that value, since neither host falls back to anything.
    /// </summary>
    [Fact]
    public void The_sample_settings_and_the_deployment_carry_the_one_default_schedule()
    {
        var root = RepositoryRoot();
        var sample = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")))!;
        Assert.Equal(CredentialCheckOptions.DefaultSchedule, sample["Values"]!["CREDENTIAL_CHECK_SCHEDULE"]!.GetValue<string>());
        Assert.Contains($"param credentialCheckSchedule string = '{CredentialCheckOptions.DefaultSchedule}'",
            File.ReadAllText(Path.Combine(root, "infra", "bicep", "main.bicep")), StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class ListLogger<T> : Microsoft.Extensions.Logging.ILogger<T>
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) => Lines.Enqueue(formatter(state, exception));
    }
}
