using Insightly.Unified.Configuration;
using Insightly.Unified.Functions.Hosting;
using NCrontab;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// Runs the timer-triggered functions on their NCRONTAB schedules, as the Functions host would. A <c>%SETTING%</c>
/// schedule comes from the same settings the Functions app reads (local.settings.json's <c>Values</c>, then the
/// environment), with no default of its own: unset, the timer is disabled with an error, as the Functions host
/// does when the setting does not resolve.
/// </summary>
public sealed class LocalTimerScheduler(
    FunctionCatalog catalog,
    TimerFunctionInvoker invoker,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<LocalTimerScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan MaxSingleWait = TimeSpan.FromDays(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.TimerFunctions.Select(function => RunOnScheduleAsync(function, stoppingToken)));

    /// <summary>Resolves <c>%SETTING%</c> schedules from configuration, as the Functions host does, with no fallback.</summary>
    public static string ResolveSchedule(string schedule, IConfiguration configuration) => ResolveSetting(schedule, configuration);

    /// <summary>Resolves a trigger's <c>%SETTING%</c> value (a schedule, a queue name) from configuration, with no fallback.</summary>
    public static string ResolveSetting(string schedule, IConfiguration configuration)
    {
        if (!(schedule.Length > 2 && schedule.StartsWith('%') && schedule.EndsWith('%')))
        {
            return schedule;
        }

        var setting = schedule[1..^1];
        return configuration[setting] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"'{schedule}' does not resolve to a value: set {setting} (local.settings.json or the environment; " +
                "local.settings.sample.json has every setting a trigger names).");
    }

    private async Task RunOnScheduleAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        CrontabSchedule schedule;
        try
        {
            var expression = ResolveSchedule(function.Schedule, configuration);
            schedule = CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
            logger.LogInformation("Timer function {Function} scheduled with {Schedule}", function.Name, expression);
        }
        catch (Exception exception) when (exception is CrontabException or InvalidOperationException)
        {
            // Like the Functions host: a timer with a bad schedule does not run; the HTTP API still does.
            logger.LogError("Timer function {Function} is disabled: {Reason}", function.Name, exception.Message);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(time.GetUtcNow().UtcDateTime);
            try
            {
                await WaitUntilAsync(next, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await invoker.InvokeAsync(function, stoppingToken);
        }
    }

    /// <summary>Waits in steps of at most a day: Task.Delay cannot wait longer than about 49 days at once.</summary>
    private async Task WaitUntilAsync(DateTime dueUtc, CancellationToken stoppingToken)
    {
        TimeSpan remaining;
        while ((remaining = dueUtc - time.GetUtcNow().UtcDateTime) > TimeSpan.Zero)
        {
            await Task.Delay(remaining < MaxSingleWait ? remaining : MaxSingleWait, time, stoppingToken);
        }
    }
}
