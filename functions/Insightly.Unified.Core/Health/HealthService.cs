using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.Health;

/// <summary>The body of <c>GET /api/health</c>: up or not, and nothing more.</summary>
public sealed record HealthReport(string Status, string Storage, string SecretStore);

/// <summary>
/// Whether the app can reach its storage and its secret store. The health route is anonymous, so one probe
/// serves every caller for a few seconds: nobody can spend the vault's throttling budget through it.
/// </summary>
public sealed class HealthService(AccountRepository accounts, ISecretStore secrets, TimeProvider time, ILogger<HealthService> logger)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReportLifetime = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private (Task<HealthReport> Report, DateTimeOffset ExpiresAt)? latest;

    public Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (latest is not { } cached || (cached.Report.IsCompleted && cached.ExpiresAt <= now))
            {
                // Probes run to their own timeout, not the first caller's: others may be waiting for them.
                latest = cached = (ProbeBothAsync(), now + ReportLifetime);
            }

            return cached.Report.WaitAsync(cancellationToken);
        }
    }

    private async Task<HealthReport> ProbeBothAsync()
    {
        var storage = ProbeAsync("storage", accounts.CheckReachableAsync);
        var secretStore = ProbeAsync("secret store", secrets.CheckReachableAsync);
        var (storageUp, secretsUp) = (await storage, await secretStore);
        return new HealthReport(storageUp && secretsUp ? "ok" : "degraded", storageUp ? "ok" : "unreachable", secretsUp ? "ok" : "unreachable");
    }

    private async Task<bool> ProbeAsync(string dependency, Func<CancellationToken, Task> probe)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            await probe(timeout.Token);
            return true;
        }
        catch (Exception exception)
        {
            // The exception type and message only: a connection string must never reach the log.
            logger.LogWarning("Health probe of the {Dependency} failed: {ErrorType} {ErrorMessage}",
                dependency, exception.GetType().Name, exception.Message);
            return false;
        }
    }
}
