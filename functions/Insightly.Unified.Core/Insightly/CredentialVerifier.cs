using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Errors;

namespace Insightly.Unified.Insightly;

/// <summary>Who a key belongs to, as Insightly reports it, and the quota headers seen while asking.</summary>
public sealed record KeyIdentity(AccountUser User, InstanceInfo Instance)
{
    public RateLimitSnapshot? RateLimit { get; init; }

    public static KeyIdentity Parse(JsonNode? me, JsonNode? instance)
    {
        var first = InsightlyJson.Text(me?["FIRST_NAME"]);
        var last = InsightlyJson.Text(me?["LAST_NAME"]);
        var name = string.Join(' ', new[] { first, last }.Where(part => part is not null));
        return new KeyIdentity(
            new AccountUser(InsightlyJson.IdString(me?["USER_ID"]), name.Length == 0 ? null : name, InsightlyJson.Text(me?["EMAIL_ADDRESS"])),
            new InstanceInfo(
                InsightlyJson.Text(instance?["INSTANCE_NAME"]),
                InsightlyJson.Text(instance?["INSTANCE_SUBDOMAIN"]),
                InsightlyJson.Text(instance?["PLAN_NAME"])));
    }
}

/// <summary>
/// Proves a key works before anything is stored: <c>GET /Users/Me</c> (whose key it is) and
/// <c>GET /Instance</c> (the instance and plan, which sets the daily quota).
/// </summary>
public sealed class CredentialVerifier(InsightlyClient client)
{
    /// <summary>
    /// Keys not yet linked share a fixed number of rate limits, chosen by a hash of the key: bounded memory
    /// however many keys are tried, and one customer's link attempts cannot queue behind everyone else's.
    /// </summary>
    private const int VerificationPipelines = 32;

    /// <summary>Starts the rate-limit key of a key being verified: a bucket derived from the key, not an account.</summary>
    public const string VerificationKeyPrefix = "verify:";

    private static readonly TimeSpan PodSearchBudget = TimeSpan.FromSeconds(10);

    public async Task<KeyIdentity> VerifyNewKeyAsync(string pod, string apiKey, CancellationToken cancellationToken)
    {
        var credentials = new InsightlyCredentials(pod, apiKey);
        var bucket = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)), 0) % VerificationPipelines;
        var rateLimitKey = $"{VerificationKeyPrefix}{bucket}";
        try
        {
            var (me, _) = await client.GetJsonAsync("Users/Me", credentials, rateLimitKey, cancellationToken);
            var (instance, rateLimit) = await client.GetJsonAsync("Instance", credentials, rateLimitKey, cancellationToken);
            return KeyIdentity.Parse(me, instance) with { RateLimit = rateLimit };
        }
        catch (ApiException exception) when (exception.Remote is { Status: 401 or 403 or 404 })
        {
            // A wrong pod answers 401 or 404 just like a wrong key. When the key works on another known pod,
            // say so: the person copied the key but not the API URL beside it.
            if (await FindPodOfKeyAsync(pod, apiKey, rateLimitKey, cancellationToken) is { } keyPod)
            {
                throw new ApiException(422, ErrorCodes.InvalidCredentials,
                    $"The API key belongs to an Insightly instance on pod '{keyPod}', not '{pod}'. Use the API URL shown beside the key under User Settings → API: {InsightlyPod.ApiUrl(keyPod)}",
                    new JsonObject { ["pod"] = pod, ["key_pod"] = keyPod },
                    exception)
                {
                    Remote = exception.Remote,
                };
            }

            throw new ApiException(422, ErrorCodes.InvalidCredentials,
                $"Insightly rejected the API key on pod '{pod}'. Check the key and that the API URL (User Settings → API) matches this pod.",
                new JsonObject { ["pod"] = pod },
                exception)
            {
                Remote = exception.Remote,
            };
        }
    }

    /// <summary>
    /// Asks the other known pods whose the key is (<c>GET /Users/Me</c>; every pod is Insightly's own host),
    /// within a few seconds in all. Null when none accepts it or none answers in time.
    /// </summary>
    private async Task<string?> FindPodOfKeyAsync(string triedPod, string apiKey, string rateLimitKey, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(PodSearchBudget);
        foreach (var pod in InsightlyPod.Known.Where(p => p != triedPod))
        {
            try
            {
                await client.GetJsonAsync("Users/Me", new InsightlyCredentials(pod, apiKey), rateLimitKey, budget.Token);
                return pod;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Refused, throttled, down or out of time: not this pod, or we cannot tell.
                if (budget.IsCancellationRequested)
                {
                    return null;
                }
            }
        }

        return null;
    }
}
