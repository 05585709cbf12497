using Insightly.Unified.Functions.Hosting;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// Serves the Functions app's own function classes on the same routes (<c>/api/...</c>) with Kestrel,
/// for machines without Azure Functions Core Tools: local runs, end-to-end tests and CI. It uses the
/// same composition root as Program.cs in the Functions app. Like <c>func start</c>, it does not ask for
/// function keys.
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
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // PORT as the README promises; the standard `urls` setting (e.g. http://127.0.0.1:0 in tests) wins.
        var port = builder.Configuration["PORT"] is { Length: > 0 } configured ? configured : DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.WebHost.UseUrls(builder.Configuration["urls"] is { Length: > 0 } urls ? urls : $"http://localhost:{port}");

        builder.Services.AddInsightlyUnified(builder.Configuration);
        builder.Services.AddHostedService<LocalTimerScheduler>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapHttpFunctions(app.Services.GetRequiredService<FunctionCatalog>());
        return app;
    }
}
