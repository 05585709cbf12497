using Insightly.Unified.Configuration;
using Insightly.Unified.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Insightly.Unified.LocalHost;

/// <summary>Runs the timer-triggered functions on their NCRONTAB schedules, as the Functions host would.</summary>
public sealed class LocalTimerScheduler(
    FunctionCatalog catalog,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<LocalTimerScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan MaxSingleWait = TimeSpan.FromDays(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.TimerFunctions.Select(function => RunOnScheduleAsync(function, stoppingToken)));

    /// <summary>Resolves <c>%SETTING%</c> schedules from configuration, as the Functions host does.</summary>
    public static string ResolveSchedule(string schedule, IConfiguration configuration)
    {
        if (!(schedule.Length > 2 && schedule.StartsWith('%') && schedule.EndsWith('%')))
        {
            return schedule;
        }

        var setting = schedule[1..^1];
        return configuration[setting] is { Length: > 0 } value ? value
            : setting == CredentialCheckOptions.ScheduleSetting ? CredentialCheckOptions.DefaultSchedule
            : throw new InvalidOperationException($"The timer schedule setting {setting} is not set.");
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

            await InvokeAsync(function, stoppingToken);
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

    private async Task InvokeAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
            var arguments = function.Method.GetParameters()
                .Select(p => p.ParameterType == typeof(CancellationToken) ? stoppingToken : (object)new TimerInfo())
                .ToArray();
            await (Task)function.Method.Invoke(instance, arguments)!;
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(exception, "Timer function {Function} failed", function.Name);
        }
    }
}
