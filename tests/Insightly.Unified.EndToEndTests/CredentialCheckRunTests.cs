using FakeInsightly;
using Insightly.Unified.IntegratedAccounts;

namespace Insightly.Unified.EndToEndTests;

/// <summary>A whole scheduled run over accounts in every situation, in tables of its own so the summary is exact.</summary>
public sealed class CredentialCheckRunTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task A_run_over_58_accounts_gives_each_the_status_its_key_earns_and_a_summary_that_adds_up()
    {
        var groups = new Dictionary<string, List<(string Id, string Key)>>();
        async Task Add(string group, int count, Action<FakeInstance, string>? script = null, Func<IntegratedAccount, IntegratedAccount>? shape = null)
        {
            groups[group] = [];
            for (var i = 0; i < count; i++)
            {
                var (instance, key) = host.NewInstance();
                groups[group].Add((await host.InsertAsync(instance, key, shape), key));
                script?.Invoke(instance, key);
            }
        }

        var earlier = new AccountError(503, "Insightly answered 503", DateTimeOffset.UtcNow.AddHours(-6));
        await Add("healthy", 30);
        await Add("revoked", 6, (_, key) => host.Insightly.RevokeKey(key));
        await Add("forbidden", 4, (_, key) => host.Insightly.AddFault(new ScriptedFault(key, "Users/Me", 403, 5)));
        await Add("failing", 5, (_, key) => host.Insightly.AddFault(new ScriptedFault(key, "Users/Me", 503, 5)));
        await Add("recovering", 3, (_, key) => host.Insightly.AddFault(new ScriptedFault(key, "Users/Me", 503, 2)));
        // A Retry-After longer than the call's budget is not waited out: the check records 429 at once.
        await Add("throttled", 4, (_, key) => host.Insightly.AddFault(new ScriptedFault(key, "Users/Me", 429, 1, RetryAfter: "30")));
        await Add("quota spent", 2, (instance, _) => instance.ExhaustDailyQuota());
        await Add("third failure", 2, (_, key) => host.Insightly.AddFault(new ScriptedFault(key, "Users/Me", 503, 5)),
            account => account with { ConsecutiveCheckFailures = 2, LastError = earlier });
        await Add("re-keyed", 2, shape: account => account with { Status = AccountStatus.NeedsReauth, LastError = new AccountError(401, "rejected", earlier.At) });
        host.Insightly.ClearRequests();

        var summary = await host.GetService<CredentialCheckRun>().RunAsync(default);

        var accounts = host.GetService<AccountRepository>();
        var expected = new Dictionary<string, (string Status, int? ErrorStatus)>
        {
            ["healthy"] = (AccountStatus.Active, null),
            ["revoked"] = (AccountStatus.NeedsReauth, 401),
            ["forbidden"] = (AccountStatus.NeedsReauth, 403),
            ["failing"] = (AccountStatus.Active, 503),
            ["recovering"] = (AccountStatus.Active, null),
            ["throttled"] = (AccountStatus.Active, 429),
            ["quota spent"] = (AccountStatus.Active, 429),
            ["third failure"] = (AccountStatus.ValidationError, 503),
            ["re-keyed"] = (AccountStatus.Active, null),
        };
        foreach (var (group, members) in groups)
        {
            foreach (var (id, _) in members)
            {
                var account = (await accounts.FindAsync(id, default))!;
                Assert.True((account.Status, account.LastError?.Status) == expected[group],
                    $"{group}: {account.Status} with last_error {account.LastError?.Status}, expected {expected[group]}");
            }
        }

        Assert.Equal((58, 35, 10, 13), (summary.Checked, summary.Active, summary.NeedsReauth, summary.Errors));
        Assert.True(summary.Duration > TimeSpan.Zero);
        // One upstream call per healthy account: /Users/Me proves the key, and the row already has the instance.
        Assert.All(groups["healthy"], account => Assert.Equal(["GET Users/Me"],
            host.Insightly.Requests.Where(r => r.ApiKey == account.Key).Select(r => $"{r.Method} {r.Path}")));
        Assert.All(groups["recovering"], account => Assert.Equal(3, host.Insightly.Requests.Count(r => r.ApiKey == account.Key)));
        Assert.All(groups["throttled"], account => Assert.Equal(1, host.Insightly.Requests.Count(r => r.ApiKey == account.Key)));
        Assert.Contains(host.LogLines, line => line.Contains("Credential check finished in ", StringComparison.Ordinal)
                                               && line.Contains(" s: 58 checked, 35 active, 10 need re-authentication, 13 errors", StringComparison.Ordinal));
    }
}
