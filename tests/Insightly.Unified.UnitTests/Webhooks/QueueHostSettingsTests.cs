using Insightly.Unified.LocalHost;
using Insightly.Unified.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Insightly.Unified.UnitTests.Webhooks;

/// <summary>The local queue poller reads the queue trigger's settings as the Functions host does.</summary>
public sealed class QueueHostSettingsTests
{
    private static readonly string HostJson = Path.Combine(AppContext.BaseDirectory, "host.json");

    [Fact]
    public void Reads_the_repository_host_json()
    {
        var settings = QueueHostSettings.Read(HostJson, new ConfigurationBuilder().Build());

        Assert.Equal(new QueueHostSettings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), 16, 8, 5), settings);
    }

    [Fact]
    public void An_AzureFunctionsJobHost_app_setting_overrides_host_json_as_in_Azure()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2",
            ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.250",
        }).Build();

        var settings = QueueHostSettings.Read(HostJson, configuration);

        Assert.Equal((2, TimeSpan.FromMilliseconds(250), 16), (settings.MaxDequeueCount, settings.MaxPollingInterval, settings.BatchSize));
    }

    [Fact]
    public void Without_host_json_the_hosts_defaults_apply() =>
        Assert.Equal(new QueueHostSettings(TimeSpan.FromMinutes(1), TimeSpan.Zero, 16, 8, 5),
            QueueHostSettings.Read("/nonexistent/host.json", new ConfigurationBuilder().Build()));

    [Fact]
    public void The_sample_settings_and_the_template_name_the_same_queues_as_the_code_defaults()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Functions.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var sample = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")))!["Values"]!;
        Assert.Equal(WebhookOptions.DefaultEventsQueue, sample["WEBHOOK_EVENTS_QUEUE"]!.GetValue<string>());
        Assert.Equal(WebhookOptions.DefaultDeliveriesQueue, sample["WEBHOOK_DELIVERIES_QUEUE"]!.GetValue<string>());
        var main = File.ReadAllText(Path.Combine(root, "infra", "bicep", "main.bicep"));
        Assert.Contains($"param webhookEventsQueue string = '{WebhookOptions.DefaultEventsQueue}'", main);
        Assert.Contains($"param webhookDeliveriesQueue string = '{WebhookOptions.DefaultDeliveriesQueue}'", main);
    }
}
