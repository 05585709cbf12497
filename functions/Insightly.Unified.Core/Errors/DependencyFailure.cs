using Azure.Core;
using Azure.Core.Pipeline;

namespace Insightly.Unified.Errors;

/// <summary>Our own storage or secret store failed or refused us: an outage or a missing role, not a bug in the request.</summary>
public sealed class DependencyUnavailableException(string source, Exception? inner, int? status = null)
    : Exception($"The {source} is unavailable" + (status is null ? "." : $" (it answered {status})."), inner)
{
    /// <summary><c>storage</c> or <c>secret_store</c>, as the contract's <c>details.source</c> names them.</summary>
    public string Dependency { get; } = source;
}

/// <summary>
/// Added to the Azure SDK clients of a dependency, outside their own retries: once those give up (Azure.Core
/// then throws an AggregateException, "Retry failed after N tries"), or the service answers with a server
/// error, throttling or a refusal of our identity, the failure is raised as a
/// <see cref="DependencyUnavailableException"/> that names the dependency. Answers the callers handle
/// themselves (404, 409, 412) pass through untouched.
/// </summary>
public sealed class DependencyFailurePolicy(string source) : HttpPipelinePolicy
{
    public const string Storage = "storage";
    public const string SecretStore = "secret_store";

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception exception) when (!message.CancellationToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(source, exception);
        }

        var status = message.Response.Status;
        if (status is >= 500 or 429 or 401 or 403)
        {
            throw new DependencyUnavailableException(source, null, status);
        }
    }
}
