using System.Text.Json.Nodes;
using Insightly.Unified.IntegratedAccounts;
using Xunit.Abstractions;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Runs alone: a throughput figure measured beside other tests would say more about them than about the check.</summary>
[CollectionDefinition(nameof(CredentialCheckThroughputTests), DisableParallelization = true)]
public sealed class CredentialCheckThroughputCollection;

[Collection(nameof(CredentialCheckThroughputTests))]
public sealed class CredentialCheckThroughputTests(ApiHostFixture host, ITestOutputHelper output) : IClassFixture<ApiHostFixture>
{
    private const int AccountCount = 1000;
    private const int LargestExpectedRun = 20_000;

    /// <summary>
    /// The figure in the README: a run over 1,000 accounts with every Insightly call taking 100 ms, at the default
    /// concurrency, against real Azurite. The projection to the largest expected run must fit host.json's
    /// <c>functionTimeout</c>, which the Functions host enforces on the timer invocation.
    /// </summary>
    [Fact]
    public async Task A_thousand_accounts_with_100_ms_per_call_are_checked_with_one_call_each_and_twenty_thousand_fit_the_function_timeout()
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, AccountCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, token) =>
        {
            var (instance, key) = host.NewInstance();
            await host.InsertAsync(instance, key, cancellationToken: token);
        });
        host.Insightly.ClearRequests();
        host.Insightly.Latency = TimeSpan.FromMilliseconds(100);

        CredentialCheckSummary summary;
        try
        {
            summary = await host.GetService<CredentialCheckRun>().RunAsync(default);
        }
        finally
        {
            host.Insightly.Latency = TimeSpan.Zero;
        }

        var timeout = FunctionTimeout();
        var projected = TimeSpan.FromMinutes(LargestExpectedRun / summary.AccountsPerMinute);
        output.WriteLine($"{summary.Checked} accounts in {summary.Duration.TotalSeconds:F1} s = {summary.AccountsPerMinute:F0} accounts per minute; " +
                         $"{LargestExpectedRun} accounts would take {projected.TotalMinutes:F1} min; functionTimeout {timeout}");
        Assert.Equal((AccountCount, AccountCount), (summary.Checked, summary.Active));
        Assert.Equal(AccountCount, host.Insightly.Requests.Count);
        Assert.All(host.Insightly.Requests, r => Assert.Equal("Users/Me", r.Path));
        Assert.True(projected < timeout, $"{LargestExpectedRun} accounts would take {projected}, more than functionTimeout {timeout}");
    }

    private static TimeSpan FunctionTimeout()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "host.json");
            if (File.Exists(path) && File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
            {
                var value = JsonNode.Parse(File.ReadAllText(path))!["functionTimeout"]?.GetValue<string>()
                    ?? throw new InvalidOperationException("host.json does not set functionTimeout");
                return TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("host.json not found above " + AppContext.BaseDirectory);
    }
}
