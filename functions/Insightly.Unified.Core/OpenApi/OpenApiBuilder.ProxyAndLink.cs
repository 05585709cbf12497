using System.Text.Json.Nodes;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Link;
using Insightly.Unified.Proxy;

namespace Insightly.Unified.OpenApi;

/// <summary>The passthrough proxy and the link flow, which answer in Insightly's shapes and in HTML rather than the unified ones.</summary>
internal sealed partial class OpenApiBuilder
{
    private const string ProxyTag = "Passthrough proxy";
    private const string LinkTag = "Link flow";

    private void AddProxyPath()
    {
        Tag(ProxyTag, "Any Insightly v3.1 call on a linked account, its key injected, streamed both ways.");
        var path = Parameter("path", "path",
            "The Insightly v3.1 path, which may hold several segments (`Contacts/101/Notes`). It stays below the account's " +
            "`/v3.1/`: `..`, encoded slashes, backslashes, other hosts and schemes are 400 `invalid_parameter`.",
            new JsonObject { ["type"] = "string" }, required: true);
        var operations = new JsonObject { ["parameters"] = new JsonArray(path) };
        foreach (var method in new[] { "get", "post", "put", "patch", "delete" })
        {
            var answer = new JsonObject
            {
                ["description"] = "Insightly's answer with its status, body and headers (`Content-Type`, `ETag`, `X-Total-Count`, " +
                    "`X-RateLimit-*`, `Retry-After`) as it sent them; an error Insightly sent comes back as its own, and a redirect " +
                    "is passed back, never followed. Every answer of the proxy adds `X-Content-Type-Options: nosniff` and " +
                    "`Content-Security-Policy: sandbox`.",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject() } },
            };
            var operation = Operation(ProxyTag, method + "Proxied", $"{method.ToUpperInvariant()} through the proxy",
                method is "get" or "put" or "delete"
                    ? "Retried on 429 and 5xx, honouring `Retry-After`."
                    : "Streamed and never retried: Insightly may have acted on it even when its answer was lost.",
                AccountParameters(), method is "post" or "put" or "patch" ? AnyBody() : null, ("200", answer),
                method is "post" or "put" or "patch" ? [400, 401, 404, 413, 415, 429, 503, 504, 500] : [400, 401, 404, 413, 429, 503, 504, 500]);
            operations[method] = operation;
        }

        AddPath("proxy/{path}", operations);
    }

    private void AddLinkPaths()
    {
        Tag(LinkTag, "A hosted page where an end customer connects their own Insightly, opened with a single-use link token.");
        AddPath("link-tokens", new JsonObject
        {
            ["post"] = Operation(LinkTag, "issueLinkToken", "Issue a link token",
                "A short-lived, single-use token bound to a tenant, and the page's URL to hand to the customer. With " +
                "`integrated_account_id` it is a reconnect link that replaces that account's key and keeps its id.",
                [], Body("LinkTokenRequest"), Created("The token and the page's URL.", Schema("IssuedLinkToken")),
                [400, 404, 413, 415, 503, 500]),
        });
        var token = Parameter("token", "query", "The link token.", new JsonObject { ["type"] = "string" }, required: true);
        AddPath("link", new JsonObject
        {
            ["get"] = Page("showLinkPage", "Show the link page",
                "Where to find the Insightly API key and API URL (User Settings → API), and a form for both.",
                [token], null, ["400", "404", "410"]),
            ["post"] = Page("submitLinkPage", "Submit the link page",
                "Checks the key as linking does, stores (or, for a reconnect token, re-keys) the account and burns the token; " +
                "then a success page, or a redirect to the token's `redirect_url` with `integrated_account_id` appended.",
                [], new JsonObject
                {
                    ["required"] = true,
                    ["content"] = new JsonObject
                    {
                        ["application/x-www-form-urlencoded"] = new JsonObject
                        {
                            ["schema"] = new JsonObject
                            {
                                ["type"] = "object",
                                ["required"] = new JsonArray("token", "api_key", "api_url"),
                                ["properties"] = new JsonObject
                                {
                                    ["token"] = new JsonObject { ["type"] = "string" },
                                    ["api_key"] = new JsonObject { ["type"] = "string" },
                                    ["api_url"] = new JsonObject { ["type"] = "string", ["format"] = "uri" },
                                },
                            },
                        },
                    },
                },
                ["303", "400", "403", "404", "409", "410", "422", "429", "503"]),
        });
    }

    /// <summary>An anonymous operation answering an HTML page: the token is the credential.</summary>
    private JsonObject Page(string operationId, string summary, string description, IEnumerable<JsonNode> parameters, JsonObject? body, string[] otherStatuses)
    {
        var html = new JsonObject { ["text/html"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } };
        var responses = new JsonObject { ["200"] = new JsonObject { ["description"] = "The page.", ["content"] = html.DeepClone() } };
        foreach (var status in otherStatuses)
        {
            responses[status] = status == "303"
                ? new JsonObject
                {
                    ["description"] = "Linked: on to the token's `redirect_url` with `integrated_account_id` appended.",
                    ["headers"] = new JsonObject { ["Location"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uri" } } },
                }
                : new JsonObject { ["description"] = "The page, saying what went wrong and keeping what was typed (never the key).", ["content"] = html.DeepClone() };
        }

        var operation = new JsonObject
        {
            ["tags"] = new JsonArray(LinkTag),
            ["summary"] = summary,
            ["description"] = description,
            ["operationId"] = operationId,
            ["security"] = new JsonArray(),
        };
        var list = parameters.ToList();
        if (list.Count > 0)
        {
            operation["parameters"] = new JsonArray([.. list]);
        }

        if (body is not null)
        {
            operation["requestBody"] = body;
        }

        operation["responses"] = responses;
        return operation;
    }

    private static JsonObject AnyBody() => new()
    {
        ["description"] = $"Sent on to Insightly as it is, with its `Content-Type`; at most {new ProxyOptions().MaxBodyBytes} bytes. " +
            "A body a page of another site could send without a preflight — a form, `text/*`, or no `Content-Type` — is 415 " +
            "`unsupported_media_type`; `multipart/form-data` goes through only to a `…/FileAttachments` path from a caller " +
            "that sends no `Origin` (a server).",
        ["content"] = new JsonObject
        {
            ["application/json"] = new JsonObject { ["schema"] = new JsonObject() },
            ["multipart/form-data"] = new JsonObject { ["schema"] = new JsonObject() },
        },
    };

    private static JsonObject IssuedLinkTokenSchema() => ObjectOf(typeof(IssuedLinkToken), "A link token and the page to hand to the customer.",
        ("link_token", new JsonObject { ["type"] = "string" }),
        ("url", new JsonObject { ["type"] = "string", ["format"] = "uri" }),
        ("expires_at", new JsonObject { ["type"] = "string", ["format"] = "date-time" }));

    private static JsonObject LinkTokenRequestSchema() => new()
    {
        ["type"] = "object",
        ["additionalProperties"] = false,
        ["required"] = new JsonArray("tenant_id"),
        ["properties"] = new JsonObject
        {
            ["tenant_id"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = LinkAccountRequest.MaxTenantIdLength },
            ["label"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["maxLength"] = LinkAccountRequest.MaxLabelLength },
            ["redirect_url"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["format"] = "uri", ["maxLength"] = LinkTokenRequest.MaxRedirectUrlLength },
            ["integrated_account_id"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
        },
    };
}
