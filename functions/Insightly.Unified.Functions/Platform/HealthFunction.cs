using Insightly.Unified.Health;
using Insightly.Unified.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Platform;

public sealed class HealthFunction(HealthService health, ApiRequestRunner runner)
{
    [Function("Health")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var report = await health.CheckAsync(cancellationToken);
            return new ApiResult<HealthReport>(report.Status == "ok" ? 200 : 503, report, ApiJsonContext.Api.HealthReport);
        });
}
