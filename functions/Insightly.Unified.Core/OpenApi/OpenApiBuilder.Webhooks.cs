using System.Text.Json.Nodes;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.OpenApi;

/// <summary>
/// Webhook subscriptions (contract section 8) and, as OpenAPI 3.1 <c>webhooks</c>, the event deliveries this app POSTs
/// to a subscription's URL: one per event type, with the signature headers and the payload.
/// </summary>
internal sealed partial class OpenApiBuilder
{
    private const string WebhooksTag = "Webhooks";

    private void AddWebhookPaths()
    {
        Tag(WebhooksTag, "Subscriptions to account events, which this app POSTs, signed, to your backend.");
        AddWebhookSchemas();
        var notFound = new JsonObject
        {
            ["description"] = "`not_found`: no webhook subscription has this id.",
            ["content"] = new JsonObject
            {
                ["application/json"] = new JsonObject
                {
                    ["schema"] = Schema("Error"),
                    ["example"] = new JsonObject
                    {
                        ["status_code"] = 404,
                        ["error"] = "not_found",
                        ["message"] = "No webhook subscription has the id 'wh-k3v7q2m4x5c6b7n2d3f4g5h6'.",
                        ["details"] = new JsonObject { ["webhook_id"] = "wh-k3v7q2m4x5c6b7n2d3f4g5h6" },
                    },
                },
            },
        };
        JsonObject Item(string operationId, string summary, string description, JsonObject? body, (string Status, JsonObject Response) success, int[] errors)
        {
            var operation = Operation(WebhooksTag, operationId, summary, description, [], body, success, errors, accountRoute: true);
            operation["responses"]!["404"] = notFound.DeepClone();
            var ordered = new JsonObject();
            foreach (var (status, response) in operation["responses"]!.AsObject().OrderBy(r => r.Key, StringComparer.Ordinal).ToList())
            {
                ordered[status] = response!.DeepClone();
            }

            operation["responses"] = ordered;
            return operation;
        }

        AddPath("webhooks", new JsonObject
        {
            ["get"] = Operation(WebhooksTag, "listWebhooks", "List webhook subscriptions", "The subscriptions, a page at a time.",
                [Reference("parameters", "Limit"), Reference("parameters", "NextCursor")], null,
                Ok("A page of subscriptions (never their secrets).", Schema("WebhookSubscriptionList")), [400, 401, 503, 500], accountRoute: true),
            ["post"] = Operation(WebhooksTag, "createWebhook", "Subscribe to account events",
                "Events of the listed types (or `[\"*\"]` for all) are POSTed to `url`, signed with the subscription's secret; with " +
                "`tenant_id`, only events of that tenant's accounts. The answer holds the signing `secret` — shown only here and on rotation.",
                [], Body("WebhookCreateRequest"), Created("The subscription and its signing secret.", Schema("WebhookSubscriptionWithSecret")),
                [400, 401, 413, 415, 503, 500], accountRoute: true),
        });
        AddPath("webhooks/{id}", new JsonObject
        {
            ["parameters"] = new JsonArray(Reference("parameters", "WebhookPathId")),
            ["get"] = Item("getWebhook", "Get a webhook subscription", "One subscription, with `last_delivery_at` and `last_failure`.",
                null, Ok("The subscription.", Schema("WebhookSubscription")), [401, 503, 500]),
            ["patch"] = Item("updateWebhook", "Update a webhook subscription",
                "Changes `url`, `events`, `tenant_id`, `description` (`null` clears those two) or `enabled`. Re-enable a subscription a 410 disabled here.",
                Body("WebhookUpdateRequest"), Ok("The updated subscription.", Schema("WebhookSubscription")), [400, 401, 413, 415, 503, 500]),
            ["delete"] = Item("deleteWebhook", "Delete a webhook subscription", "Deletes the subscription and its secret; nothing more is delivered to it.",
                null, Ok("The subscription is deleted.", Schema("Deleted")), [401, 503, 500]),
        });
        AddPath("webhooks/{id}/rotate-secret", new JsonObject
        {
            ["parameters"] = new JsonArray(Reference("parameters", "WebhookPathId")),
            ["post"] = Item("rotateWebhookSecret", "Rotate a subscription's signing secret",
                "A new secret, which signs every delivery from now on; the old one stops signing at once, retries of earlier events included.",
                null, Ok("The subscription and its new secret.", Schema("WebhookSubscriptionWithSecret")), [401, 503, 500]),
        });
        AddPath("webhooks/{id}/test", new JsonObject
        {
            ["parameters"] = new JsonArray(Reference("parameters", "WebhookPathId")),
            ["post"] = Item("testWebhook", "Send a test event",
                "Queues a `webhook.test` event for this subscription only (even while it is disabled), delivered and retried like any other.",
                null, ("202", Json("The test event is queued.", Schema("WebhookTestQueued"))), [401, 503, 500]),
        });
    }

    private void AddWebhookSchemas()
    {
        static JsonObject Nullable(string type, string? format = null)
        {
            var schema = new JsonObject { ["type"] = new JsonArray(type, "null") };
            if (format is not null)
            {
                schema["format"] = format;
            }

            return schema;
        }

        static JsonObject Timestamp() => new() { ["type"] = "string", ["format"] = "date-time" };

        var eventList = new JsonObject
        {
            ["type"] = "array",
            ["minItems"] = 1,
            ["maxItems"] = WebhookRequest.MaxEvents,
            ["items"] = Enum([WebhookEventTypes.All, .. WebhookEventTypes.Types]),
            ["description"] = "Event types, or `[\"*\"]` alone for every account event.",
        };
        var url = new JsonObject
        {
            ["type"] = "string",
            ["format"] = "uri",
            ["maxLength"] = WebhookRequest.MaxUrlLength,
            ["description"] = "An https URL (`http://localhost` and `http://127.0.0.1` too while the development secret store is in use). " +
                "Never a private, loopback or link-local address in Azure; redirects are not followed.",
            ["examples"] = new JsonArray("https://app.example.com/hooks/insightly"),
        };
        var lastFailure = ObjectOf(typeof(WebhookFailure), "Why the last event was given up after its retries, or the subscription disabled by a 410; null until then.",
            ("status", Nullable("integer").With("description", "The receiver's last answer; null when it did not answer.")),
            ("message", new JsonObject { ["type"] = "string" }),
            ("at", Timestamp()));
        lastFailure["type"] = new JsonArray("object", "null");
        (string, JsonObject)[] subscription =
        [
            ("id", new JsonObject { ["type"] = "string", ["examples"] = new JsonArray("wh-k3v7q2m4x5c6b7n2d3f4g5h6") }),
            ("url", url),
            ("events", eventList),
            ("tenant_id", Nullable("string").With("description", "Only events of this tenant's accounts; null for every tenant.")),
            ("description", Nullable("string")),
            ("enabled", new JsonObject { ["type"] = "boolean", ["description"] = "A disabled subscription receives nothing (a 410 from the receiver disables it)." }),
            ("created_at", Timestamp()),
            ("updated_at", Timestamp()),
            ("last_delivery_at", Nullable("string", "date-time").With("description", "When a delivery last succeeded.")),
            ("last_failure", lastFailure),
        ];
        resourceSchemas.Add(("WebhookSubscription", ObjectOf(typeof(WebhookSubscription), "A subscription to account events. It never holds its secret.",
            [.. subscription.Select(p => (p.Item1, p.Item2.DeepClone().AsObject()))])));
        resourceSchemas.Add(("WebhookSubscriptionWithSecret", ObjectOf(typeof(WebhookSubscriptionWithSecret),
            "A subscription with its signing secret: only in the answers to creating it and to rotating the secret.",
            [.. subscription.Select(p => (p.Item1, p.Item2.DeepClone().AsObject())), ("secret", new JsonObject
            {
                ["type"] = "string",
                ["pattern"] = "^whsec_[A-Za-z0-9_-]{43}$",
                ["description"] = "The HMAC-SHA256 key of `X-Webhook-Signature` (the whole string, as UTF-8). Keep it; it is not shown again.",
            })])));
        resourceSchemas.Add(("WebhookSubscriptionList", ListEnvelope("WebhookSubscription", "webhook subscriptions")));
        resourceSchemas.Add(("WebhookTestQueued", ObjectOf(typeof(WebhookTestQueued), "The subscription tested and the id of the test event on its way.",
            ("id", new JsonObject { ["type"] = "string" }), ("event_id", new JsonObject { ["type"] = "string" }))));
        JsonObject Request(string description, bool create) => new JsonObject
        {
            ["type"] = "object",
            ["description"] = description,
        }.With(create ? "required" : "minProperties", create ? new JsonArray("url", "events") : 1).With("properties", new JsonObject
        {
            ["url"] = url.DeepClone(),
            ["events"] = eventList.DeepClone(),
            ["tenant_id"] = Nullable("string").With("minLength", 1).With("maxLength", WebhookRequest.MaxTenantIdLength),
            ["description"] = Nullable("string").With("minLength", 1).With("maxLength", WebhookRequest.MaxDescriptionLength),
            ["enabled"] = new JsonObject { ["type"] = "boolean", ["default"] = true },
        }).With("additionalProperties", false);
        resourceSchemas.Add(("WebhookCreateRequest", Request("A new subscription.", create: true)));
        resourceSchemas.Add(("WebhookUpdateRequest", Request("The fields to change; `null` clears `tenant_id` or `description`.", create: false)));

        resourceSchemas.Add(("WebhookEvent", new JsonObject
        {
            ["type"] = "object",
            ["description"] = "What a delivery carries. `id` is the same on every retry: dedupe on it. No key or secret is ever in it.",
            ["required"] = new JsonArray("id", "type", "created_at", "data"),
            ["properties"] = new JsonObject
            {
                ["id"] = new JsonObject { ["type"] = "string", ["pattern"] = "^evt_[a-z2-7]{26}$", ["description"] = "The event id, also sent as `X-Webhook-Id`." },
                ["type"] = Enum(WebhookEventTypes.Types),
                ["created_at"] = Timestamp().With("description", "When the change happened."),
                ["data"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "`integrated_account`: the account as it is after the change (before it, for `deleted`); `webhook`: the subscription tested.",
                    ["properties"] = new JsonObject
                    {
                        ["integrated_account"] = Schema("IntegratedAccount"),
                        ["webhook"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["required"] = new JsonArray("id"),
                            ["properties"] = new JsonObject { ["id"] = new JsonObject { ["type"] = "string" } },
                        },
                    },
                },
            },
        }));
    }

    /// <summary>The OpenAPI 3.1 <c>webhooks</c>: one delivery operation per event type.</summary>
    private JsonObject WebhookDeliveries()
    {
        var descriptions = new Dictionary<string, string>
        {
            [WebhookEventTypes.Created] = "An account was linked (`POST /integrated-accounts` or the link page).",
            [WebhookEventTypes.Updated] = "An account's label, tenant or key changed. After a tenant change, subscriptions of the new tenant (and of every tenant) " +
                "get it; those of the former tenant get a copy without the new `tenant_id` and `label`, which are `null` in it.",
            [WebhookEventTypes.Deleted] = "An account was unlinked; `data.integrated_account` is the account as it was.",
            [WebhookEventTypes.NeedsReauth] = "Insightly rejected the account's key — on any call or in the credential check. Reconnect it with a new key.",
            [WebhookEventTypes.ValidationError] = "The credential check failed transiently several times in a row.",
            [WebhookEventTypes.Reactivated] = "The account is `active` again: re-keyed, or its key passed the check.",
            [WebhookEventTypes.Test] = "Sent by `POST /webhooks/{id}/test` to that subscription only.",
        };
        JsonObject Header(string name, string description, JsonObject schema) =>
            new() { ["name"] = name, ["in"] = "header", ["required"] = true, ["description"] = description, ["schema"] = schema };

        var deliveries = new JsonObject();
        foreach (var type in WebhookEventTypes.Types)
        {
            var name = string.Concat(type.Split('.', '_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
            deliveries[type] = new JsonObject
            {
                ["post"] = new JsonObject
                {
                    ["tags"] = new JsonArray(WebhooksTag),
                    ["summary"] = $"Event `{type}`",
                    ["description"] = descriptions[type] + " Verify `X-Webhook-Signature` before trusting the body; answer 2xx within 10 seconds. " +
                        "Anything else is retried with exponential backoff and jitter for about a day; 410 disables the subscription.",
                    ["operationId"] = "on" + name,
                    ["security"] = new JsonArray(),
                    ["parameters"] = new JsonArray(
                        Header(WebhookSigning.IdHeader, "The event id (as in the body): the same on every retry.", new JsonObject { ["type"] = "string" }),
                        Header(WebhookSigning.TimestampHeader, "When this attempt was signed, in Unix seconds: refuse old ones to stop replays.",
                            new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9]+$" }),
                        Header(WebhookSigning.SignatureHeader,
                            "`v1=` and the lower-case hex HMAC-SHA256, keyed with the subscription's secret, of `{id}.{timestamp}.{raw body}`.",
                            new JsonObject { ["type"] = "string", ["pattern"] = "^v1=[0-9a-f]{64}$" })),
                    ["requestBody"] = new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject
                        {
                            ["application/json"] = new JsonObject
                            {
                                ["schema"] = new JsonObject
                                {
                                    ["allOf"] = new JsonArray(Schema("WebhookEvent"),
                                        new JsonObject { ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = type } } }),
                                },
                            },
                        },
                    },
                    ["responses"] = new JsonObject
                    {
                        ["2XX"] = new JsonObject { ["description"] = "Received. Any 2xx within 10 seconds counts." },
                        ["410"] = new JsonObject { ["description"] = "Gone: the subscription is disabled and nothing more is sent to it." },
                    },
                },
            };
        }

        return deliveries;
    }

    private static JsonObject WebhookPathIdParameter() =>
        Parameter("id", "path", "The webhook subscription's id.", new JsonObject { ["type"] = "string" }, required: true);
}
