using Insightly.Unified.IntegratedAccounts;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.IntegratedAccounts;

/// <summary>Re-checks every stored key on the <c>CREDENTIAL_CHECK_SCHEDULE</c> schedule (contract section 5).</summary>
public sealed class CredentialCheckFunction(CredentialCheckRun run)
{
    [Function("CredentialCheck")]
    public Task Run([TimerTrigger("%CREDENTIAL_CHECK_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync(cancellationToken);
}
