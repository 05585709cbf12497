using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;

namespace Insightly.Unified.Webhooks;

/// <summary>The body of <c>POST /webhooks</c> and <c>PATCH /webhooks/{id}</c>: what is set, and what each field holds.</summary>
public sealed record WebhookRequest(
    Uri? Url, IReadOnlyList<string>? Events, bool SetsTenantId, string? TenantId, bool SetsDescription, string? Description, bool? Enabled)
{
    public const int MaxUrlLength = 2048;
    public const int MaxTenantIdLength = 128;
    public const int MaxDescriptionLength = 512;
    public const int MaxEvents = 20;

    private static readonly string[] Fields = ["url", "events", "tenant_id", "description", "enabled"];

    /// <param name="allowLoopbackHttp">With the development secret store: <c>http://localhost</c> and <c>http://127.0.0.1</c> receivers too.</param>
    public static WebhookRequest ParseCreate(JsonObject body, bool allowLoopbackHttp)
    {
        var request = Parse(body, allowLoopbackHttp);
        return request with
        {
            Url = request.Url ?? throw ApiException.InvalidBody("'url' is required: the https URL events are POSTed to.", "url"),
            Events = request.Events ?? throw ApiException.InvalidBody("'events' is required: a list of event types, or [\"*\"] for all.", "events"),
        };
    }

    public static WebhookRequest ParseUpdate(JsonObject body, bool allowLoopbackHttp)
    {
        if (body.Count == 0)
        {
            throw ApiException.InvalidBody($"Nothing to update: send any of {string.Join(", ", Fields)}.");
        }

        return Parse(body, allowLoopbackHttp);
    }

    private static WebhookRequest Parse(JsonObject body, bool allowLoopbackHttp)
    {
        var fields = new BodyFields(body);
        fields.RejectUnknown(Fields);
        foreach (var name in new[] { "url", "events", "enabled" })
        {
            if (fields.Has(name) && body[name] is null)
            {
                throw ApiException.InvalidBody($"'{name}' cannot be null.", name);
            }
        }

        var url = fields.OptionalString("url", MaxUrlLength);
        bool? enabled = null;
        if (body["enabled"] is { } enabledNode)
        {
            enabled = enabledNode.GetValueKind() switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw ApiException.InvalidBody("'enabled' must be true or false.", "enabled"),
            };
        }

        return new WebhookRequest(
            url is null ? null : ReceiverUrl(url, allowLoopbackHttp),
            body["events"] is { } events ? EventList(events) : null,
            fields.Has("tenant_id"),
            fields.OptionalString("tenant_id", MaxTenantIdLength),
            fields.Has("description"),
            fields.OptionalString("description", MaxDescriptionLength),
            enabled);
    }

    private static IReadOnlyList<string> EventList(JsonNode node)
    {
        if (node is not JsonArray array || array.Count == 0 || array.Count > MaxEvents
            || array.Any(e => e?.GetValueKind() != JsonValueKind.String))
        {
            throw ApiException.InvalidBody($"'events' must be a list of 1 to {MaxEvents} event types (strings), or [\"*\"].", "events");
        }

        var types = array.Select(e => e!.GetValue<string>()).Distinct(StringComparer.Ordinal).ToList();
        var unknown = types.Where(t => t != WebhookEventTypes.All && !WebhookEventTypes.Types.Contains(t)).ToList();
        if (unknown.Count > 0)
        {
            throw ApiException.InvalidBody(
                $"Unknown event type(s): {string.Join(", ", unknown)}. Use {string.Join(", ", WebhookEventTypes.Types)} or \"*\".", "events");
        }

        if (types.Contains(WebhookEventTypes.All) && types.Count > 1)
        {
            throw ApiException.InvalidBody("\"*\" already means every event type; send it alone.", "events");
        }

        return types;
    }

    /// <summary>
    /// An absolute https URL without user info or fragment (http only to localhost or 127.0.0.1 in development). Outside
    /// development a literal private, loopback or link-local IP address is refused here already; a host name is checked
    /// on every delivery, at connect time.
    /// </summary>
    public static Uri ReceiverUrl(string value, bool allowLoopbackHttp)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url)
            || !(url.Scheme == Uri.UriSchemeHttps || (allowLoopbackHttp && url.Scheme == Uri.UriSchemeHttp && IsLocalHost(url)))
            || url.UserInfo.Length > 0
            || url.Fragment.Length > 0
            || url.Host.Length == 0)
        {
            throw ApiException.InvalidBody(
                allowLoopbackHttp
                    ? "'url' must be an absolute https URL (or http://localhost / http://127.0.0.1 while the development secret store is in use), without user info or fragment."
                    : "'url' must be an absolute https URL without user info or fragment.",
                "url");
        }

        if (!allowLoopbackHttp && (url.IsLoopback || (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address) && !WebhookAddressPolicy.IsAllowed(address))))
        {
            throw ApiException.InvalidBody("'url' points at a private, loopback or link-local address, where deliveries may not go.", "url");
        }

        return url;
    }

    private static bool IsLocalHost(Uri url) => url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || url.Host == "127.0.0.1";

    public override string ToString() => $"WebhookRequest {{ Events = {(Events is null ? "-" : string.Join(",", Events))} }}";
}
