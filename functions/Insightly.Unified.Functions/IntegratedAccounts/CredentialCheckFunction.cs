using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.IntegratedAccounts;

/// <summary>
/// Re-checks every stored key on the <c>CREDENTIAL_CHECK_SCHEDULE</c> schedule (contract section 5), then removes
/// keys left behind by links that never finished and the rows whose time is over (<see cref="DataRetention"/>).
/// </summary>
public sealed class CredentialCheckFunction(CredentialCheckRun run, OrphanSecretSweep sweep, DataRetention retention)
{
    [Function("CredentialCheck")]
    public async Task Run([TimerTrigger("%CREDENTIAL_CHECK_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await run.RunAsync(cancellationToken);
        await sweep.SweepAsync(cancellationToken);
        await retention.SweepAsync(cancellationToken);
    }
}
