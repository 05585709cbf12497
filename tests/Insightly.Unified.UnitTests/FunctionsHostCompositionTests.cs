using Azure.Monitor.OpenTelemetry.Exporter;
using Insightly.Unified.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Insightly.Unified.UnitTests;

/// <summary>Builds the real Functions host as Program.cs does, so a missing registration fails here, not in Azure.</summary>
public sealed class FunctionsHostCompositionTests
{
    [Fact]
    public void Every_function_class_can_be_activated_from_the_functions_host_services()
    {
        using var host = BuildHost(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        var catalog = host.Services.GetRequiredService<FunctionCatalog>();
        var classes = catalog.HttpFunctions.Select(f => f.Method.DeclaringType!)
            .Concat(catalog.TimerFunctions.Select(f => f.Method.DeclaringType!))
            .Distinct()
            .ToList();

        Assert.NotEmpty(catalog.TimerFunctions);
        using var scope = host.Services.CreateScope();
        Assert.All(classes, type => Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type)));
    }

    [Fact]
    public void Telemetry_goes_to_Application_Insights_signed_in_with_the_managed_identity()
    {
        using var host = BuildHost(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/"),
            ("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "Authorization=AAD"));

        Assert.NotNull(host.Services.GetRequiredService<TracerProvider>());
        Assert.NotNull(host.Services.GetRequiredService<MeterProvider>());
        var exporter = host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>();
        var configured = new[] { Options.DefaultName, "AzureMonitor", "AzureMonitorExporter" }.Select(exporter.Get).Where(o => o.Credential is not null);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(Assert.Single(configured.Select(o => o.Credential).Distinct()));
    }

    [Fact]
    public void Without_an_exporter_no_telemetry_provider_is_built()
    {
        using var host = BuildHost(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));
        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void An_OTLP_endpoint_alone_turns_telemetry_on()
    {
        using var host = BuildHost(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"));
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        Assert.NotNull(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void The_development_secret_store_refuses_real_storage()
    {
        using var host = BuildHost(("AzureWebJobsStorage:tableServiceUri", "https://stprod.table.core.windows.net"));
        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("KeyVault__Uri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_Vault_with_identity_based_storage_and_a_public_address_is_accepted()
    {
        using var host = BuildHost(
            ("AzureWebJobsStorage:tableServiceUri", "https://stprod.table.core.windows.net"),
            ("KeyVault:Uri", "https://kv-prod.vault.azure.net/"),
            ("Link:PublicBaseUrl", "https://func-prod.azurewebsites.net"));
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData(null, "is not set, but KeyVault__Uri is")]
    [InlineData("http://func-prod.azurewebsites.net", "must be an https URL")]
    [InlineData("https://func-prod.azurewebsites.net/?x=1", "without user info, query or fragment")]
    public void With_Key_Vault_start_up_needs_the_public_https_address(string? publicBaseUrl, string problem)
    {
        var settings = new List<(string, string)>
        {
            ("AzureWebJobsStorage:tableServiceUri", "https://stprod.table.core.windows.net"),
            ("KeyVault:Uri", "https://kv-prod.vault.azure.net/"),
        };
        if (publicBaseUrl is not null)
        {
            settings.Add(("Link:PublicBaseUrl", publicBaseUrl));
        }

        using var host = BuildHost([.. settings]);
        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Link__PublicBaseUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.{pod}.insightly.com/v3.1/", "9", true)]
    [InlineData("https://api.{pod}.insightly.com/v3.1/", "10", false)]
    [InlineData("https://API.{pod}.Insightly.com./v3.1/", "50", false)]
    [InlineData("http://127.0.0.1:7080/{pod}/v3.1/", "5000", true)]
    [InlineData("https://{pod}.insightly.com.example.net/v3.1/", "50", true)]
    public void Requests_per_second_may_pass_Insightly_s_limit_only_against_a_stand_in(string template, string rate, bool accepted)
    {
        using var host = BuildHost(("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("Insightly:BaseUrlTemplate", template), ("Insightly:RequestsPerSecond", rate));
        var validate = () => host.Services.GetRequiredService<IStartupValidator>().Validate();
        if (accepted)
        {
            validate();
        }
        else
        {
            var error = Assert.Throws<OptionsValidationException>(validate);
            Assert.Contains("RequestsPerSecond", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("00:15:00", true)]
    [InlineData("00:00:01", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("00:00:00", false)]
    [InlineData("00:00:00.500", false)]
    [InlineData("1.00:00:01", false)]
    public void The_daily_quota_probe_interval_is_from_a_second_to_a_day(string interval, bool accepted)
    {
        using var host = BuildHost(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("Insightly:DailyQuotaProbeInterval", interval));
        var validate = () => host.Services.GetRequiredService<IStartupValidator>().Validate();
        if (accepted)
        {
            validate();
        }
        else
        {
            Assert.Contains("DailyQuotaProbeInterval", Assert.Throws<OptionsValidationException>(validate).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_base_url_template_without_a_pod_placeholder_is_refused_at_start_up()
    {
        using var host = BuildHost(("Insightly:BaseUrlTemplate", "https://api.na1.insightly.com/v3.1/"));
        Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
    }

    private static IHost BuildHost(params (string Key, string Value)[] settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.ConfigureInsightlyUnifiedFunctions();
        return builder.Build();
    }
}
