using Insightly.Unified.Configuration;
using Insightly.Unified.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>What one scheduled credential check saw, and how long it took.</summary>
public sealed record CredentialCheckSummary(int Checked, int Active, int NeedsReauth, int Errors, TimeSpan Duration)
{
    /// <summary>Throughput of the run; what decides whether the largest run fits the host's function timeout.</summary>
    public double AccountsPerMinute => Duration > TimeSpan.Zero ? Checked / Duration.TotalMinutes : 0;
}

/// <summary>
/// The scheduled re-check of every linked key, a few accounts at a time. One account's failure
/// is logged and counted, never allowed to stop the run.
/// </summary>
public sealed class CredentialCheckRun(
    AccountRepository accounts,
    CredentialChecker checker,
    AccountEvents events,
    IOptions<CredentialCheckOptions> options,
    TimeProvider time,
    ILogger<CredentialCheckRun> logger)
{
    private const int PageSize = 200;

    public async Task<CredentialCheckSummary> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        int checkedCount = 0, active = 0, needsReauth = 0, errors = 0, resent = 0;
        var parallelism = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Value.MaxConcurrency,
            CancellationToken = cancellationToken,
        };

        string? continuation = null;
        do
        {
            var (page, next) = await accounts.ListAsync(null, null, PageSize, continuation, cancellationToken);
            continuation = next;
            await Parallel.ForEachAsync(page, parallelism, async (account, token) =>
            {
                try
                {
                    // Webhook events whose enqueue failed when they were raised wait on the row: send them now.
                    Interlocked.Add(ref resent, await events.RepairAsync(account));
                    var result = await checker.CheckAsync(account, token);
                    Interlocked.Increment(ref checkedCount);
                    switch (result.Status)
                    {
                        case AccountStatus.Active when result.LastError is null:
                            Interlocked.Increment(ref active);
                            break;
                        case AccountStatus.NeedsReauth:
                            Interlocked.Increment(ref needsReauth);
                            break;
                        default:
                            Interlocked.Increment(ref errors);
                            break;
                    }
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref checkedCount);
                    Interlocked.Increment(ref errors);
                    logger.LogError(exception, "Credential check for account {AccountId} failed", account.Id);
                }
            });
        }
        while (continuation is not null);

        try
        {
            resent += await events.RepairDeletedAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(exception, "Could not re-send the webhook events of deleted accounts; the next run tries again");
        }

        if (resent > 0)
        {
            logger.LogInformation("Credential check re-sent {Resent} webhook event(s) that had not been queued", resent);
        }

        var summary = new CredentialCheckSummary(checkedCount, active, needsReauth, errors, time.GetElapsedTime(started));
        logger.LogInformation(
            "Credential check finished in {DurationSeconds:F1} s: {Checked} checked, {Active} active, {NeedsReauth} need re-authentication, {Errors} errors ({AccountsPerMinute:F0} accounts per minute)",
            summary.Duration.TotalSeconds, summary.Checked, summary.Active, summary.NeedsReauth, summary.Errors, summary.AccountsPerMinute);
        return summary;
    }
}
