using Insightly.Unified.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// Runs a timer-triggered function once, in its own service scope, as the Functions host does: on its schedule
/// (<see cref="LocalTimerScheduler"/>) or on demand through the admin API (<see cref="AdminFunctionEndpoints"/>).
/// A failure is logged, never thrown: one bad run must not stop the schedule.
/// </summary>
public sealed class TimerFunctionInvoker(IServiceScopeFactory scopes, ILogger<TimerFunctionInvoker> logger)
{
    public async Task InvokeAsync(TimerFunction function, CancellationToken stoppingToken)
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
