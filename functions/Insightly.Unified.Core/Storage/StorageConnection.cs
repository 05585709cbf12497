using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
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
        if (Uri.TryCreate(section[TableServiceUriKey], UriKind.Absolute, out var tableUri))
        {
            return new StorageConnection(null, tableUri, clientId);
        }

        var accountName = section[AccountNameKey];
        if (!string.IsNullOrWhiteSpace(accountName))
        {
            return new StorageConnection(null, new Uri($"https://{accountName}.table.core.windows.net"), clientId);
        }

        return new StorageConnection(DevelopmentStorage, null, null);
    }

    /// <summary>True for Azurite: the only storage the development secret store may use.</summary>
    public bool IsLocalEmulator
    {
        get
        {
            if (TableServiceUri is not null)
            {
                return TableServiceUri.IsLoopback;
            }

            var parts = ConnectionString!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Any(p => p.Equals(DevelopmentStorage, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            var endpoint = parts.FirstOrDefault(p => p.StartsWith("TableEndpoint=", StringComparison.OrdinalIgnoreCase));
            return endpoint is not null
                && Uri.TryCreate(endpoint["TableEndpoint=".Length..], UriKind.Absolute, out var uri)
                && uri.IsLoopback;
        }
    }

    public TableServiceClient CreateTableServiceClient()
    {
        if (ConnectionString is not null)
        {
            return new TableServiceClient(ConnectionString);
        }

        TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = ManagedIdentityClientId,
        });
        return new TableServiceClient(TableServiceUri, credential);
    }
}
