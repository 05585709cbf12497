using System.Text.Json.Nodes;
using Insightly.Unified.Accounts;
using Insightly.Unified.Errors;

namespace Insightly.Unified.Insightly;

/// <summary>Who a key belongs to, as Insightly reports it.</summary>
public sealed record KeyIdentity(AccountUser User, InstanceInfo Instance)
{
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
    public async Task<KeyIdentity> VerifyNewKeyAsync(string pod, string apiKey, CancellationToken cancellationToken)
    {
        var credentials = new InsightlyCredentials(pod, apiKey);
        var pipelineKey = "verify:" + pod;
        try
        {
            var me = await client.GetJsonAsync("Users/Me", credentials, pipelineKey, cancellationToken);
            var instance = await client.GetJsonAsync("Instance", credentials, pipelineKey, cancellationToken);
            return KeyIdentity.Parse(me, instance);
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
