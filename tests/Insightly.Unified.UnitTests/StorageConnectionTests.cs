using Insightly.Unified.Storage;
using Microsoft.Extensions.Configuration;

namespace Insightly.Unified.UnitTests;

public sealed class StorageConnectionTests
{
    [Fact]
    public void Defaults_to_the_local_emulator_when_nothing_is_set()
    {
        var connection = StorageConnection.FromConfiguration(Configuration());
        Assert.Equal("UseDevelopmentStorage=true", connection.ConnectionString);
        Assert.True(connection.IsLocalEmulator);
    }

    [Fact]
    public void Reads_a_connection_string()
    {
        var connection = StorageConnection.FromConfiguration(Configuration(("AzureWebJobsStorage",
            "DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=a2V5;EndpointSuffix=core.windows.net")));
        Assert.StartsWith("DefaultEndpointsProtocol=https", connection.ConnectionString, StringComparison.Ordinal);
        Assert.False(connection.IsLocalEmulator);
    }

    [Fact]
    public void Recognises_an_explicit_Azurite_connection_string()
    {
        var connection = StorageConnection.FromConfiguration(Configuration(("AzureWebJobsStorage",
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;")));
        Assert.True(connection.IsLocalEmulator);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://elsewhere.example")]
    [InlineData("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://10.0.0.5")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://azurite.example:10002/devstoreaccount1;")]
    public void Storage_that_is_not_a_loopback_Azurite_is_not_the_local_emulator(string connectionString) =>
        Assert.False(StorageConnection.FromConfiguration(Configuration(("AzureWebJobsStorage", connectionString))).IsLocalEmulator);

    [Fact]
    public void A_development_storage_proxy_on_loopback_still_counts_as_local() =>
        Assert.True(StorageConnection.FromConfiguration(Configuration(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1"))).IsLocalEmulator);

    [Theory]
    [InlineData("AzureWebJobsStorage:blobServiceUri", "https://stprod.blob.core.windows.net")]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "https://stprod.queue.core.windows.net")]
    public void Identity_settings_without_a_table_endpoint_fail_naming_the_setting(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromConfiguration(Configuration((key, value))));
        Assert.Contains("AzureWebJobsStorage__tableServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_identity_based_settings_with_a_table_service_uri()
    {
        var connection = StorageConnection.FromConfiguration(Configuration(
            ("AzureWebJobsStorage:tableServiceUri", "https://stprod.table.core.windows.net"),
            ("AzureWebJobsStorage:credential", "managedidentity")));
        Assert.Null(connection.ConnectionString);
        Assert.Equal(new Uri("https://stprod.table.core.windows.net"), connection.TableServiceUri);
        Assert.False(connection.IsLocalEmulator);
    }

    [Fact]
    public void Derives_the_table_endpoint_from_an_account_name()
    {
        var connection = StorageConnection.FromConfiguration(Configuration(
            ("AzureWebJobsStorage:accountName", "stprod"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));
        Assert.Equal(new Uri("https://stprod.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal("00000000-0000-0000-0000-000000000001", connection.ManagedIdentityClientId);
    }

    [Fact]
    public void Environment_style_double_underscore_names_bind_the_same_way()
    {
        Environment.SetEnvironmentVariable("STORAGECONNECTIONTEST_AzureWebJobsStorage__tableServiceUri", "https://stenv.table.core.windows.net");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables("STORAGECONNECTIONTEST_").Build();
            Assert.Equal(new Uri("https://stenv.table.core.windows.net"), StorageConnection.FromConfiguration(configuration).TableServiceUri);
        }
        finally
        {
            Environment.SetEnvironmentVariable("STORAGECONNECTIONTEST_AzureWebJobsStorage__tableServiceUri", null);
        }
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
}
