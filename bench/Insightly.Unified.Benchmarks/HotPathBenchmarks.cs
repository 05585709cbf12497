using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Azure;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;
using Insightly.Unified.Security;
using Insightly.Unified.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Insightly.Unified.Benchmarks;

/// <summary>The small steps every request takes: a cursor, an error, and choosing the account and its key.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const string Binding = "contacts|ia-aaaaaaaaaaaaaaaaaaaaaaaa|email=contact1@example.com";

    private PageCursors cursors = null!;
    private string cursor = null!;
    private AccountSelector selector = null!;
    private ApiKeyResolver keys = null!;
    private HttpRequest request = null!;
    private string accountId = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var api = Options.Create(new ApiOptions { CursorSigningKey = Convert.ToBase64String(new byte[32]) });
        var store = new Mock<ISecretStore>();
        accountId = AccountIds.New();
        store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(new StoredSecret("key", "v1"));
        cursors = new PageCursors(new SigningKeys(store.Object, api));
        cursor = await cursors.EncodeAsync(Binding, "1500", default);

        var row = new TableEntity("account", accountId)
        {
            ["Pod"] = "na1", ["Status"] = AccountStatus.Active, ["CreatedAt"] = DateTimeOffset.UtcNow, ["UpdatedAt"] = DateTimeOffset.UtcNow,
        };
        var table = new Mock<TableClient>();
        var metrics = new UnifiedMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
        table.Setup(t => t.GetEntityIfExistsAsync<TableEntity>("account", accountId, It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(row, Mock.Of<Response>()));
        selector = new AccountSelector(new AccountRepository(table.Object, metrics, TimeSpan.FromSeconds(30)));
        keys = new ApiKeyResolver(store.Object, Options.Create(new SecretStoreOptions()), metrics, TimeProvider.System, NullLogger<ApiKeyResolver>.Instance);
        request = new DefaultHttpContext { Request = { QueryString = new QueryString($"?limit=100&integrated_account_id={accountId}") } }.Request;
        await WarmResolution();
    }

    [Benchmark(Description = "cursor encode")]
    public Task<string> EncodeCursor() => cursors.EncodeAsync(Binding, "1500", default);

    [Benchmark(Description = "cursor decode")]
    public Task<string> DecodeCursor() => cursors.DecodeAsync(cursor, Binding, default);

    [Benchmark(Description = "Insightly 404 → contract error body")]
    public async Task<int> MapError()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent("""{"Message":"No Contact with ID 404 was found."}""", Encoding.UTF8, "application/json"),
            RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://api.na1.insightly.com/v3.1/Contacts/404"),
        };
        var error = await InsightlyErrors.FromResponseAsync(response, TimeProvider.System, default);
        return ApiResults.ErrorBytes(error).Length;
    }

    [Benchmark(Description = "account + key resolution, warm")]
    public async Task<string?> WarmResolution()
    {
        var account = await selector.SelectAsync(request, default);
        return (await keys.GetAsync(account.Id, default))?.Value;
    }
}
