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

    public async Task<KeyIdentity> VerifyNewKeyAsync(string pod, string apiKey, CancellationToken cancellationToken)
    {
        var credentials = new InsightlyCredentials(pod, apiKey);
        var bucket = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)), 0) % VerificationPipelines;
        var rateLimitKey = $"verify:{bucket}";
        try
        {
            var (me, _) = await client.GetJsonAsync("Users/Me", credentials, rateLimitKey, cancellationToken);
            var (instance, rateLimit) = await client.GetJsonAsync("Instance", credentials, rateLimitKey, cancellationToken);
            return KeyIdentity.Parse(me, instance) with { RateLimit = rateLimit };
        }
        catch (ApiException exception) when (exception.Remote is { Status: 401 or 403 or 404 })
        {
            // A wrong pod answers 401 or 404 just like a wrong key, so the message names both.
            throw new ApiException(422, ErrorCodes.InvalidCredentials,
                $"Insightly rejected the API key on pod '{pod}'. Check the key and that the API URL (User Settings → API) matches this pod.",
                new JsonObject { ["pod"] = pod },
                exception)
            {
                Remote = exception.Remote,
            };
        }
    }
}
