using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>Body of <c>POST /integrated-accounts</c>.</summary>
public sealed record LinkAccountRequest(string ApiKey, string Pod, string? TenantId, string? Label)
{
    public const int MaxTenantIdLength = 128;
    public const int MaxLabelLength = 256;
    public const int MaxApiKeyLength = 256;
    public const int MaxApiUrlLength = 2048;

    /// <summary>The id the account gets: reserved by a link token's claim (see <c>LinkTokens</c>); unset, a new one.</summary>
    public string? AccountId { get; init; }

    public static LinkAccountRequest Parse(JsonObject body)
    {
        var fields = new BodyFields(body);
        fields.RejectUnknown("api_key", "pod", "api_url", "tenant_id", "label");
        var apiKey = fields.RequiredString("api_key", MaxApiKeyLength);
        var pod = fields.OptionalString("pod", 64);
        var apiUrl = fields.OptionalString("api_url", MaxApiUrlLength);
        if ((pod is null) == (apiUrl is null))
        {
            throw ApiException.InvalidBody("Send exactly one of 'pod' (e.g. \"na1\") or 'api_url' (e.g. \"https://api.na1.insightly.com/v3.1/\").", "pod", "api_url");
        }

        return new LinkAccountRequest(
            apiKey,
            pod is not null ? InsightlyPod.Normalize(pod) : InsightlyPod.FromApiUrl(apiUrl!),
            fields.OptionalString("tenant_id", MaxTenantIdLength),
            fields.OptionalString("label", MaxLabelLength));
    }

    /// <summary>
    /// The hosted link page's form: the key and the API URL the person pasted, with the tenant and label the
    /// link token carries. The same checks as the JSON body (trimmed, required, length, pod from the URL).
    /// </summary>
    public static LinkAccountRequest FromForm(string? apiKey, string? apiUrl, string tenantId, string? label) =>
        new(
            BodyFields.CheckString("api_key", apiKey, MaxApiKeyLength) ?? throw Required("api_key"),
            InsightlyPod.FromApiUrl(BodyFields.CheckString("api_url", apiUrl, MaxApiUrlLength) ?? throw Required("api_url")),
            tenantId,
            label);

    private static ApiException Required(string field) =>
        ApiException.InvalidBody($"'{field}' is required and must be a non-empty string.", field);

    public override string ToString() => $"LinkAccountRequest {{ Pod = {Pod}, TenantId = {TenantId} }}";
}

/// <summary>Body of <c>PATCH /integrated-accounts/{id}</c>: each field is optional; <c>null</c> clears label or tenant.</summary>
public sealed record UpdateAccountRequest(string? ApiKey, bool SetsTenantId, string? TenantId, bool SetsLabel, string? Label)
{
    public static UpdateAccountRequest Parse(JsonObject body)
    {
        var fields = new BodyFields(body);
        fields.RejectUnknown("api_key", "tenant_id", "label");
        if (body.Count == 0)
        {
            throw ApiException.InvalidBody("Nothing to update: send 'api_key', 'tenant_id' or 'label'.");
        }

        if (fields.Has("api_key") && body["api_key"] is null)
        {
            throw ApiException.InvalidBody("'api_key' cannot be cleared; send the new key.", "api_key");
        }

        return new UpdateAccountRequest(
            fields.OptionalString("api_key", LinkAccountRequest.MaxApiKeyLength),
            fields.Has("tenant_id"),
            fields.OptionalString("tenant_id", LinkAccountRequest.MaxTenantIdLength),
            fields.Has("label"),
            fields.OptionalString("label", LinkAccountRequest.MaxLabelLength));
    }

    /// <summary>A new key for the account (a reconnect link), optionally with a new label.</summary>
    public static UpdateAccountRequest RotateKey(string? apiKey, string? label) =>
        new(
            BodyFields.CheckString("api_key", apiKey, LinkAccountRequest.MaxApiKeyLength)
                ?? throw ApiException.InvalidBody("'api_key' is required and must be a non-empty string.", "api_key"),
            SetsTenantId: false,
            TenantId: null,
            SetsLabel: label is not null,
            Label: label);

    public override string ToString() => $"UpdateAccountRequest {{ RotatesKey = {ApiKey is not null} }}";
}
