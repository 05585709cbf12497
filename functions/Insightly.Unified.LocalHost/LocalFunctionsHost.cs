using Insightly.Unified.Functions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// Serves the Functions app's own function classes on the same routes (<c>/api/...</c>) with Kestrel,
/// for machines without Azure Functions Core Tools: local runs, end-to-end tests and CI. It uses the
/// same composition root as Program.cs in the Functions app. Like <c>func start</c>, it reads the
/// <c>Values</c> of <c>local.settings.json</c> in the current directory and does not ask for function keys, so it
/// answers only requests addressed to a loopback name (<see cref="LoopbackHostGuard"/>). It runs the timers on their
/// schedules and answers the admin API's <c>POST /admin/functions/{name}</c>.
/// </summary>
public static class LocalFunctionsHost
{
    public const int DefaultPort = 7071;

    /// <param name="settings">Extra settings that win over the environment (tests use this).</param>
    /// <param name="configure">A last word on the builder, e.g. a test's log capture.</param>
    public static WebApplication Create(
        string[] args, IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddLocalSettings(Path.Combine(Environment.CurrentDirectory, LocalSettingsFile.FileName));
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.WebHost.UseUrls(ListenUrls(builder.Configuration));

        builder.Services.AddInsightlyUnified(builder.Configuration);
        // The same telemetry as in Azure; ASP.NET Core's request spans stand in for the Functions host's.
        builder.Services.AddInsightlyTelemetry(builder.Configuration,
                tracing => tracing.AddAspNetCoreInstrumentation(), metrics => metrics.AddAspNetCoreInstrumentation())
            ?.ConfigureResource(resource => resource.AddService("insightly-unified-localhost"));
        builder.Services.AddSingleton<TimerFunctionInvoker>();
        builder.Services.AddHostedService<LocalTimerScheduler>();
        builder.Services.AddHostedService<LocalQueuePoller>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseLoopbackHostGuard();
        app.MapHttpFunctions(app.Services.GetRequiredService<FunctionCatalog>());
        app.MapAdminFunctions(app.Services.GetRequiredService<FunctionCatalog>());
        return app;
    }

    /// <summary>
    /// Loopback only (<c>localhost</c>) on <c>PORT</c>, as the README promises: the development secret store
    /// keeps keys in plain text, so nothing off this machine may reach it. The standard <c>urls</c> setting
    /// (e.g. <c>http://127.0.0.1:0</c> in tests) wins; whatever it binds, only loopback names are answered.
    /// </summary>
    public static string ListenUrls(IConfiguration configuration)
    {
        var port = configuration["PORT"] is { Length: > 0 } configured ? configured : DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return configuration["urls"] is { Length: > 0 } urls ? urls : $"http://localhost:{port}";
    }
}
