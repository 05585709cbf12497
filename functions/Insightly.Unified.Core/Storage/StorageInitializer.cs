using Azure.Data.Tables;
using Insightly.Unified.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Storage;

/// <summary>
/// Creates the tables the app uses, retrying in the background until storage answers, and says loudly
/// when keys are not in Key Vault. Start-up is never blocked: /api/health reports storage meanwhile.
/// </summary>
public sealed class StorageInitializer(
    TableServiceClient tables,
    IOptions<StorageOptions> storage,
    IOptions<SecretStoreOptions> secrets,
    TimeProvider time,
    ILogger<StorageInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (secrets.Value.Uri is null)
        {
            logger.LogWarning(
                "KeyVault__Uri is not set: API keys are kept in the development secret store (table {Table} in the storage emulator). Never use this outside local development.",
                storage.Value.DevelopmentSecretsTable);
        }

        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await tables.CreateTableIfNotExistsAsync(storage.Value.AccountsTable, stoppingToken);
                await tables.CreateTableIfNotExistsAsync(storage.Value.IdempotencyTable, stoppingToken);
                await tables.CreateTableIfNotExistsAsync(storage.Value.LinkTokensTable, stoppingToken);
                if (secrets.Value.Uri is null)
                {
                    await tables.CreateTableIfNotExistsAsync(storage.Value.DevelopmentSecretsTable, stoppingToken);
                }

                await tables.CreateTableIfNotExistsAsync(storage.Value.WebhooksTable, stoppingToken);
                await tables.CreateTableIfNotExistsAsync(storage.Value.WebhookOutboxTable, stoppingToken);

                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError("Could not create the storage tables, retrying in {Delay}: {ErrorType} {ErrorMessage}",
                    delay, exception.GetType().Name, exception.Message);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
        }
    }
}
