using Azure;
using Azure.Data.Tables;
using Insightly.Unified.Health;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Insightly.Unified.UnitTests;

public sealed class HealthServiceTests
{
    private readonly FakeTimeProvider time = new();
    private readonly Mock<ISecretStore> secrets = new();
    private readonly Mock<TableClient> table = new();
    private readonly HealthService health;

    public HealthServiceTests()
    {
        table.Setup(t => t.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Returns(() => AsyncPageable<TableEntity>.FromPages([Page<TableEntity>.FromValues([], null, Mock.Of<Response>())]));
        health = new HealthService(new AccountRepository(table.Object, TestMetrics.Create()), secrets.Object, time, NullLogger<HealthService>.Instance);
    }

    [Fact]
    public async Task Callers_within_a_few_seconds_share_one_probe_of_the_secret_store()
    {
        var reports = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => health.CheckAsync(default)));
        time.Advance(TimeSpan.FromSeconds(4));
        await health.CheckAsync(default);

        Assert.All(reports, report => Assert.Equal("ok", report.Status));
        secrets.Verify(s => s.CheckReachableAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task The_report_is_renewed_once_it_is_a_few_seconds_old()
    {
        await health.CheckAsync(default);
        time.Advance(TimeSpan.FromSeconds(6));
        secrets.Setup(s => s.CheckReachableAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException("vault down"));

        var report = await health.CheckAsync(default);

        Assert.Equal(("degraded", "unreachable"), (report.Status, report.SecretStore));
        secrets.Verify(s => s.CheckReachableAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}
