using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Storage;
using Insightly.Unified.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Functions.Webhooks;

/// <summary>The outbound webhooks' services (contract section 8), added by the composition root.</summary>
public static class WebhookRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Configure(o =>
            {
                // The queue triggers name their queues %WEBHOOK_EVENTS_QUEUE% and %WEBHOOK_DELIVERIES_QUEUE%; senders use the same settings.
                o.EventsQueue = configuration[WebhookOptions.EventsQueueSetting] is { Length: > 0 } events ? events : o.EventsQueue;
                o.DeliveriesQueue = configuration[WebhookOptions.DeliveriesQueueSetting] is { Length: > 0 } deliveries ? deliveries : o.DeliveriesQueue;
            })
            .ValidateDataAnnotations()
            .Validate(o => o.IsValid(out _), "Webhooks: the retry delays must be positive, RetryMaxDelay at least RetryBaseDelay and at most 6 days, and RepairAfter not negative.")
            .Validate(o => o.EventsQueue != o.DeliveriesQueue, "WEBHOOK_EVENTS_QUEUE and WEBHOOK_DELIVERIES_QUEUE must name different queues.")
            .ValidateOnStart();

        services.AddSingleton(sp => new WebhookRepository(Table(sp, o => o.WebhooksTable)));
        services.AddSingleton(sp => new WebhookOutbox(Table(sp, o => o.WebhookOutboxTable)));
        services.AddSingleton(sp =>
        {
            var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            // Enqueueing happens inside the request that changed an account: a few quick retries, then the credential check repairs.
            options.Retry.MaxRetries = 3;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            options.AddPolicy(new DependencyFailurePolicy(DependencyFailurePolicy.Storage), HttpPipelinePosition.PerCall);
            return new WebhookQueues(StorageConnection.FromConfiguration(configuration).CreateQueueServiceClient(options),
                sp.GetRequiredService<IOptions<WebhookOptions>>());
        });
        services.AddSingleton(sp => new WebhookSender(
            // The address guard is off only with the development secret store, whose receivers run on this machine.
            WebhookSender.CreateClient(guardAddresses: sp.GetRequiredService<IOptions<SecretStoreOptions>>().Value.Uri is not null),
            sp.GetRequiredService<TimeProvider>()));
        services.AddTransient<AccountEvents>();
        services.AddTransient<WebhookService>();
        services.AddTransient<WebhookDispatcher>();
        return services;
    }

    private static TableClient Table(IServiceProvider services, Func<StorageOptions, string> table) =>
        services.GetRequiredService<TableServiceClient>().GetTableClient(table(services.GetRequiredService<IOptions<StorageOptions>>().Value));
}
