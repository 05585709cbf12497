using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Functions.Link;
using Insightly.Unified.Functions.Webhooks;
using Insightly.Unified.Health;
using Insightly.Unified.Http;
using Insightly.Unified.Insightly;
using Insightly.Unified.Proxy;
using Insightly.Unified.Secrets;
using Insightly.Unified.Security;
using Insightly.Unified.Storage;
using Insightly.Unified.Telemetry;
using Insightly.Unified.Unified.Idempotency;
using Insightly.Unified.Unified.Listing;
using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Functions.Hosting;

/// <summary>
/// The composition root. The Azure Functions host (Program.cs) and the offline local host both call
/// <see cref="AddInsightlyUnified"/>, so they run the same services with the same configuration.
/// </summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddInsightlyUnified(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InsightlyOptions>().Bind(configuration.GetSection(InsightlyOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.BaseUrlTemplate.Contains("{pod}", StringComparison.Ordinal)
                           && Uri.TryCreate(o.BaseUrlTemplate.Replace("{pod}", "na1", StringComparison.Ordinal), UriKind.Absolute, out _),
                "Insightly:BaseUrlTemplate must be an absolute URL containing {pod}.")
            .Validate(o => o.RequestsPerSecond <= InsightlyOptions.MaxInsightlyRequestsPerSecond || !InsightlyOptions.IsInsightlyHost(o.BaseUrlTemplate),
                $"Insightly:RequestsPerSecond may exceed {InsightlyOptions.MaxInsightlyRequestsPerSecond} only when Insightly:BaseUrlTemplate is not an insightly.com URL (Insightly allows 10 a second).")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CredentialCheckOptions>().Bind(configuration.GetSection(CredentialCheckOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        var storage = StorageConnection.FromConfiguration(configuration);
        services.AddOptions<SecretStoreOptions>().Bind(configuration.GetSection(SecretStoreOptions.Section))
            .Validate(o => o.Uri is not null || storage.IsLocalEmulator,
                "KeyVault__Uri is not set and AzureWebJobsStorage is not the local storage emulator. The development secret store only runs against Azurite; set KeyVault__Uri to use Key Vault.")
            .ValidateOnStart();

        services.AddOptions<PublicUrlOptions>().Bind(configuration.GetSection(PublicUrlOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PublicUrlOptions>>(new PublicUrlOptionsValidation(
            keyVaultConfigured: configuration.GetSection(SecretStoreOptions.Section).Get<SecretStoreOptions>()?.Uri is not null));
        services.AddSingleton<PublicUrls>();

        services.AddSingleton(TimeProvider.System);
        services.AddUnifiedMetrics();
        // Each dependency's clients name it when they give up, so an outage answers 503 with details.source.
        services.AddSingleton(_ => storage.CreateTableServiceClient(WithFailureSource(new TableClientOptions(), DependencyFailurePolicy.Storage)));
        services.AddSingleton(sp => new AccountRepository(TableFor(sp, o => o.AccountsTable), sp.GetRequiredService<UnifiedMetrics>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.AccountCacheTtl, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISecretStore>(sp =>
        {
            var vault = sp.GetRequiredService<IOptions<SecretStoreOptions>>().Value.Uri;
            if (vault is not null)
            {
                return KeyVaultSecretStore.Create(vault, new DefaultAzureCredential(), new SecretClientOptions());
            }

            var tables = storage.CreateTableServiceClient(WithFailureSource(new TableClientOptions(), DependencyFailurePolicy.SecretStore));
            return new DevelopmentSecretStore(tables.GetTableClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DevelopmentSecretsTable));
        });
        services.AddHostedService<StorageInitializer>();

        services.AddSingleton<ApiKeyResolver>();
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<PageCursors>();
        services.AddSingleton<RateLimitRecorder>();
        services.AddSingleton<InsightlyEndpoints>();
        services.AddHttpClient<InsightlyClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // No cookie jar: one handler serves every account, and nothing Insightly sets may follow another account's
            // calls (it also spares a cookie lookup per call). One long-lived handler whose connections are renewed
            // every few minutes, rather than a new handler (and pool) every two. Each call is already logged, traced and
            // counted by our own code, so the factory's four log lines per call are left out.
            // A redirect is Insightly's answer to pass on, never a call to make: following one would send the account's
            // key (and the proxy's caller) to wherever it points.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddInsightlyResilience();
        services.AddTransient<AccountConnector>();
        services.AddTransient<CredentialVerifier>();
        services.AddTransient<CredentialChecker>();
        services.AddTransient<CredentialCheckRun>();
        services.AddTransient<OrphanSecretSweep>();
        services.AddTransient<AccountService>();
        services.AddTransient<AccountSelector>();
        services.AddSingleton<HealthService>();
        services.AddTransient<ProxyService>();

        services.AddOptions<UnifiedOptions>().Bind(configuration.GetSection(UnifiedOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccountLookups>();
        services.AddSingleton(sp => new IdempotencyStore(TableFor(sp, o => o.IdempotencyTable),
            sp.GetRequiredService<IOptions<UnifiedOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IdempotencyStore>>()));
        services.AddTransient<DataRetention>();
        services.AddTransient<LinkedRecords>();
        services.AddTransient<UnifiedReader>();
        services.AddTransient<UnifiedWriter>();
        services.AddTransient<ContactContextReader>();
        services.AddTransient<FieldsCatalog>();
        services.AddTransient<UnifiedPipeline>();

        services.AddSingleton<JsonBodyReader>();
        services.AddSingleton<ApiRequestRunner>();
        services.AddSingleton<FunctionCatalog>();
        services.AddLinkFlow(configuration);
        services.AddWebhooks(configuration);
        return services;
    }

    private static T WithFailureSource<T>(T options, string source) where T : Azure.Core.ClientOptions
    {
        options.AddPolicy(new DependencyFailurePolicy(source), Azure.Core.HttpPipelinePosition.PerCall);
        return options;
    }

    private static TableClient TableFor(IServiceProvider services, Func<StorageOptions, string> table) =>
        services.GetRequiredService<TableServiceClient>()
            .GetTableClient(table(services.GetRequiredService<IOptions<StorageOptions>>().Value));
}
