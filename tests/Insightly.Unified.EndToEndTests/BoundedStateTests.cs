using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;

namespace Insightly.Unified.EndToEndTests;

/// <summary>A host whose idle rate-limit buckets are dropped after two seconds, checking many accounts at once.</summary>
public sealed class ManyAccountsFixture : ApiHostFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Insightly:LimiterIdleTimeout"] = "00:00:02",
        ["CredentialCheck:MaxConcurrency"] = "32",
    };
}

/// <summary>Runs alone: it counts the process's timers, which other tests running alongside would change.</summary>
[CollectionDefinition(nameof(BoundedStateTests), DisableParallelization = true)]
public sealed class BoundedStateCollection;

[Collection(nameof(BoundedStateTests))]
public sealed class BoundedStateTests(ManyAccountsFixture host) : IClassFixture<ManyAccountsFixture>
{
    private const int AccountCount = 5000;

    [Fact]
    public async Task Checking_five_thousand_accounts_leaves_one_pipeline_and_no_timer_or_limiter_per_account()
    {
        var accounts = host.GetService<AccountRepository>();
        var secrets = host.GetService<ISecretStore>();
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, AccountCount), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, token) =>
        {
            var (instance, key) = host.NewInstance();
            var id = AccountIds.New();
            var version = await secrets.SetAsync(SecretNaming.ForAccount(id), key, SecretNaming.Tags(id, "na1"), token);
            await accounts.InsertAsync(new IntegratedAccount
            {
                Id = id,
                TenantId = "many",
                Pod = "na1",
                Status = AccountStatus.Active,
                Instance = new InstanceInfo(instance.Name, instance.Subdomain, instance.Plan),
                CreatedAt = now,
                UpdatedAt = now,
                SecretVersion = version,
            }, token);
        });
        var timersBefore = Timer.ActiveCount;

        var summary = await host.GetService<CredentialCheckRun>().RunAsync(default);

        Assert.Equal(AccountCount, summary.Active);
        var limiters = host.GetService<InsightlyRateLimiters>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (limiters.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Equal(0, limiters.Count);
        Assert.Equal(1, host.GetService<ResilienceCounters>().Pipelines);
        Assert.InRange(Timer.ActiveCount - timersBefore, -1000, 25);
    }
}
