using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Insightly.Unified.Storage;

/// <summary>
/// The <c>AzureWebJobsStorage</c> setting in either of its forms: a connection string
/// (<c>UseDevelopmentStorage=true</c> locally) or identity-based settings
/// (<c>AzureWebJobsStorage__tableServiceUri</c> or <c>__accountName</c>, <c>__credential</c>, <c>__clientId</c>) in Azure.
/// </summary>
public sealed record StorageConnection(string? ConnectionString, Uri? TableServiceUri, string? ManagedIdentityClientId)
{
    public const string SettingName = "AzureWebJobsStorage";

    /// <summary>The identity-based form's keys (<c>AzureWebJobsStorage__tableServiceUri</c>, …).</summary>
    public const string TableServiceUriKey = "tableServiceUri";
    public const string QueueServiceUriKey = "queueServiceUri";
    public const string AccountNameKey = "accountName";
    public const string ClientIdKey = "clientId";

    private const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public static StorageConnection FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SettingName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new StorageConnection(section.Value.Trim(), null, null);
        }

        var clientId = section[ClientIdKey];
        var accountName = section[AccountNameKey];
        Uri.TryCreate(section[QueueServiceUriKey], UriKind.Absolute, out var queueUri);
        queueUri ??= string.IsNullOrWhiteSpace(accountName) ? null : new Uri($"https://{accountName}.queue.core.windows.net");
        if (Uri.TryCreate(section[TableServiceUriKey], UriKind.Absolute, out var tableUri))
        {
            return new StorageConnection(null, tableUri, clientId) { QueueServiceUri = queueUri };
        }

        if (!string.IsNullOrWhiteSpace(accountName))
        {
            return new StorageConnection(null, new Uri($"https://{accountName}.table.core.windows.net"), clientId) { QueueServiceUri = queueUri };
        }

        if (section.GetChildren().Any())
        {
            // Identity-based settings that name only a blob or queue URI: the tables would otherwise fall back
            // to the local emulator without a word.
            throw new InvalidOperationException(
                $"{SettingName} is configured identity-based ({string.Join(", ", section.GetChildren().Select(c => $"{SettingName}__{c.Key}"))}) " +
                $"but names no table endpoint: set {SettingName}__{TableServiceUriKey} or {SettingName}__{AccountNameKey}.");
        }

        return new StorageConnection(DevelopmentStorage, null, null);
    }

    /// <summary>
    /// True only for an Azurite on this machine: the only storage the development secret store may use,
    /// since it keeps keys in plain text. <c>UseDevelopmentStorage=true</c> counts only without a
    /// <c>DevelopmentStorageProxyUri</c> elsewhere, and an explicit table endpoint must be loopback.
    /// </summary>
    public bool IsLocalEmulator
    {
        get
        {
            if (TableServiceUri is not null)
            {
                return TableServiceUri.IsLoopback;
            }

            var settings = ConnectionString!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(part => part.Split('=', 2))
                .GroupBy(pair => pair[0], StringComparer.OrdinalIgnoreCase)
                .ToDictionary(group => group.Key, group => group.Last().ElementAtOrDefault(1) ?? "", StringComparer.OrdinalIgnoreCase);
            if (settings.TryGetValue("UseDevelopmentStorage", out var development) && development.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return !settings.TryGetValue("DevelopmentStorageProxyUri", out var proxy) || IsLoopback(proxy);
            }

            return settings.TryGetValue("TableEndpoint", out var endpoint) && IsLoopback(endpoint);
        }
    }

    /// <summary>The queue endpoint of the identity-based form (<c>__queueServiceUri</c>, or derived from <c>__accountName</c>).</summary>
    public Uri? QueueServiceUri { get; init; }

    /// <summary>The queue service of the same account: the webhook queues live beside the Functions host's own.</summary>
    public QueueServiceClient CreateQueueServiceClient(QueueClientOptions options)
    {
        if (ConnectionString is not null)
        {
            return new QueueServiceClient(ConnectionString, options);
        }

        var queueUri = QueueServiceUri ?? throw new InvalidOperationException(
            $"{SettingName} is configured identity-based but names no queue endpoint: set {SettingName}__{QueueServiceUriKey} or {SettingName}__{AccountNameKey}.");
        return new QueueServiceClient(queueUri, Credential(), options);
    }

    private DefaultAzureCredential Credential() => new(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ManagedIdentityClientId });

    public TableServiceClient CreateTableServiceClient(TableClientOptions options)
    {
        if (ConnectionString is not null)
        {
            return new TableServiceClient(ConnectionString, options);
        }

        TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = ManagedIdentityClientId,
        });
        return new TableServiceClient(TableServiceUri, credential, options);
    }

    private static bool IsLoopback(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;
}
