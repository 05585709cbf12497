using Azure.Data.Tables;
using Insightly.Unified.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Storage;

/// <summary>Creates the tables the app uses at start-up, and says loudly when keys are not in Key Vault.</summary>
public sealed class StorageInitializer(
    TableServiceClient tables,
    IOptions<StorageOptions> storage,
    IOptions<SecretStoreOptions> secrets,
    ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (secrets.Value.Uri is null)
        {
            logger.LogWarning(
                "KeyVault__Uri is not set: API keys are kept in the development secret store (table {Table} in the storage emulator). Never use this outside local development.",
                storage.Value.DevelopmentSecretsTable);
        }

        try
        {
            await tables.CreateTableIfNotExistsAsync(storage.Value.AccountsTable, cancellationToken);
            if (secrets.Value.Uri is null)
            {
                await tables.CreateTableIfNotExistsAsync(storage.Value.DevelopmentSecretsTable, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Start anyway: /api/health reports storage as unreachable, which is more useful than a crash loop.
            logger.LogError("Could not create the storage tables at start-up: {ErrorType} {ErrorMessage}",
                exception.GetType().Name, exception.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
