using Azure.Data.Tables;
using Insightly.Unified.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Storage;

/// <summary>
/// Creates the tables the app uses and says loudly when keys are not in Key Vault. Start-up waits a few seconds
/// for the tables, so the first requests find them; when storage does not answer by then, start-up goes on and
/// creation is retried in the background while /api/health reports storage as unreachable.
/// </summary>
public sealed class StorageInitializer(
    TableServiceClient tables,
    IOptions<StorageOptions> storage,
    IOptions<SecretStoreOptions> secrets,
    TimeProvider time,
    ILogger<StorageInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan StartUpWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    private bool created;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (secrets.Value.Uri is null)
        {
            logger.LogWarning(
                "KeyVault__Uri is not set: API keys are kept in the development secret store (table {Table} in the storage emulator). Never use this outside local development.",
                storage.Value.DevelopmentSecretsTable);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(StartUpWait);
        created = await TryCreateTablesAsync(wait.Token);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!created && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            created = await TryCreateTablesAsync(stoppingToken);
            delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
        }
    }

    private async Task<bool> TryCreateTablesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var names = new[] { storage.Value.AccountsTable, storage.Value.IdempotencyTable, storage.Value.LinkTokensTable }
                .Concat(secrets.Value.Uri is null ? [storage.Value.DevelopmentSecretsTable] : [])
                .Concat([storage.Value.WebhooksTable, storage.Value.WebhookOutboxTable]);
            foreach (var name in names)
            {
                await tables.CreateTableIfNotExistsAsync(name, cancellationToken);
            }

            return true;
        }
        catch (Exception exception)
        {
            logger.LogError("Could not create the storage tables, retrying in the background: {ErrorType} {ErrorMessage}",
                exception.GetType().Name, exception.Message);
            return false;
        }
    }
}
