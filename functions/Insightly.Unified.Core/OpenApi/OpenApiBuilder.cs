using Insightly.Unified.Http;
using System.Globalization;
using System.Text.Json.Nodes;
using Insightly.Unified.Configuration;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Unified.Listing;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;

namespace Insightly.Unified.OpenApi;

/// <summary>
/// Builds <see cref="OpenApiDocument"/>: the paths and operations here, the reusable components in
/// <c>OpenApiBuilder.Components.cs</c>. Unified routes come from <see cref="CrmResources.All"/> and
/// <see cref="FieldsCatalog.FieldsResource"/>, their methods from <see cref="CrmResource.CollectionMethods"/> and
/// <see cref="CrmResource.ItemMethods"/>, exactly as the function triggers declare them (a unit test compares
/// both with functions.metadata).
/// </summary>
internal sealed partial class OpenApiBuilder
{
    private const string PlatformTag = "Platform";
    private const string AccountsTag = "Integrated accounts";

    private readonly JsonObject paths = [];
    private readonly JsonArray tags = [];

    public JsonObject Build()
    {
        AddPlatformPaths();
        AddIntegratedAccountPaths();
        var crm = CrmResources.All.Where(r => r.Route.StartsWith(CrmResource.CrmRoutePrefix, StringComparison.Ordinal)).ToList();
        foreach (var resource in crm)
        {
            AddResourcePaths(resource);
        }

        AddContactContextPath();

        AddFieldsPath();
        foreach (var resource in CrmResources.All.Except(crm))
        {
            AddResourcePaths(resource);
        }

        AddProxyPath();
        AddLinkPaths();
        AddWebhookPaths();

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = Info(),
            ["servers"] = new JsonArray(new JsonObject
            {
                ["url"] = "/api",
                ["description"] = "This deployment: the Function App's `/api`, relative to where this document is served (locally `http://localhost:7071/api`).",
            }),
            ["security"] = FunctionKey(),
            ["tags"] = tags,
            ["paths"] = paths,
            ["webhooks"] = WebhookDeliveries(),
            ["components"] = Components(),
        };
    }

    private static JsonObject Info() => new()
    {
        ["title"] = "Unified CRM API for Insightly",
        ["version"] = "1.0.0",
        ["summary"] = "One stable, unified CRM shape over your customers' Insightly accounts, self-hosted on Azure Functions.",
        ["description"] = string.Join("\n\n",
            "Link a customer's Insightly account once (`/integrated-accounts`), then read and write its CRM records through the " +
            "unified resources (`/unified/crm/…`, `/unified/user-directory/users`). JSON everywhere, `snake_case` keys, UTF-8; " +
            "ids are strings; timestamps are ISO 8601 UTC with `Z`, dates `yyyy-MM-dd`.",
            "**Authentication.** Every operation needs a function key (`x-functions-key` header or `code` query parameter) " +
            "except `GET /health`, `GET /openapi.json` and the link page (`/link`), whose single-use token is the credential. In Azure the Functions host answers a missing or wrong key with 401 " +
            "and no body; the local host asks for no key.",
            "**Which account.** Unified operations name the linked account with the `integrated_account_id` query parameter " +
            "or the `X-Integrated-Account-Id` header: neither is 400 `missing_parameter`, an unknown id 404 `account_not_found`, " +
            "an account whose key Insightly rejected 401 `account_needs_reauth`.",
            "**Errors** have one shape (`Error`): `status_code`, `error`, `message`, optional `details`, and for Insightly's own " +
            "answers `remote_error`, `remote_status` and `raw_response`. A method a documented path does not list is 405 " +
            "`method_not_allowed` with an `Allow` header; a path this document does not list is 404 `unknown_resource`."),
    };

    /// <summary>Either way of sending the function key.</summary>
    private static JsonArray FunctionKey() =>
        new(new JsonObject { [FunctionKeyHeader] = new JsonArray() }, new JsonObject { [FunctionKeyQuery] = new JsonArray() });

    private void Tag(string name, string description)
    {
        if (tags.All(t => t!["name"]!.GetValue<string>() != name))
        {
            tags.Add(new JsonObject { ["name"] = name, ["description"] = description });
        }
    }

    private void AddPath(string route, JsonObject item) => paths["/" + route] = item;

    private void AddPlatformPaths()
    {
        Tag(PlatformTag, "Whether the app is up, and this document. Both are anonymous.");
        AddPath("health", new JsonObject
        {
            ["get"] = new JsonObject
            {
                ["tags"] = new JsonArray(PlatformTag),
                ["summary"] = "Check the app's health",
                ["description"] = "Whether the app, its storage and its secret store are up, and nothing more. One probe of each serves every caller for a few seconds.",
                ["operationId"] = "getHealth",
                ["security"] = new JsonArray(),
                ["responses"] = new JsonObject
                {
                    ["200"] = Json("Storage and secret store are reachable (`status` is `ok`).", Schema("HealthReport")),
                    ["503"] = Json("Storage or the secret store is unreachable (`status` is `degraded`); the body says which.", Schema("HealthReport")),
                    ["500"] = Response("InternalError"),
                },
            },
        });
        AddPath(OpenApiDocument.Route, new JsonObject
        {
            ["get"] = new JsonObject
            {
                ["tags"] = new JsonArray(PlatformTag),
                ["summary"] = "Get this OpenAPI document",
                ["description"] = "This document, generated from the code that serves the API. It holds no data.",
                ["operationId"] = "getOpenApiDocument",
                ["security"] = new JsonArray(),
                ["responses"] = new JsonObject
                {
                    ["200"] = Json("The OpenAPI 3.1 document.", new JsonObject
                    {
                        ["type"] = "object",
                        ["description"] = "An OpenAPI 3.1 document.",
                    }),
                },
            },
        });
    }

    private void AddIntegratedAccountPaths()
    {
        Tag(AccountsTag, "Linking a customer's Insightly account: its API key is checked with Insightly, kept in Key Vault, and never returned.");
        var tenant = Parameter("tenant_id", "query", "Only the accounts of this tenant (the caller's own customer id).",
            new JsonObject { ["type"] = "string", ["maxLength"] = LinkAccountRequest.MaxTenantIdLength });
        var status = Parameter("status", "query", "Only the accounts with this status.", Enum(AccountStatus.All));
        AddPath("integrated-accounts", new JsonObject
        {
            ["get"] = Operation(AccountsTag, "listIntegratedAccounts", "List integrated accounts",
                "The linked accounts, a page at a time, optionally of one tenant or status.",
                [tenant, status, LimitParameter(PageRequest.DefaultLimit, PageRequest.MaxLimit), Reference("parameters", "NextCursor")],
                null,
                Ok("A page of accounts.", Schema("IntegratedAccountList")),
                [400, 401, 503, 500], accountRoute: true),
            ["post"] = Operation(AccountsTag, "linkIntegratedAccount", "Link an Insightly account",
                "Checks the key with Insightly (`GET /Users/Me`, and `/Instance` for the plan), stores it in Key Vault and the " +
                "account in Table storage. A key Insightly rejects is 422 `invalid_credentials`, and nothing is stored.",
                [], Body("LinkIntegratedAccountRequest"),
                Created("The linked account.", Schema("IntegratedAccount")),
                [400, 401, 413, 415, 422, 429, 502, 503, 504, 500], accountRoute: true),
        });
        AddPath("integrated-accounts/{id}", new JsonObject
        {
            ["parameters"] = new JsonArray(Reference("parameters", "IntegratedAccountPathId")),
            ["get"] = Operation(AccountsTag, "getIntegratedAccount", "Get an integrated account", "One linked account.",
                [], null, Ok("The account.", Schema("IntegratedAccount")), [401, 404, 503, 500], accountRoute: true),
            ["patch"] = Operation(AccountsTag, "updateIntegratedAccount", "Update an integrated account",
                "Changes `label` or `tenant_id` (`null` clears them), or rotates the key: a new `api_key` is checked with " +
                "Insightly first, and a rejected one is 422 `invalid_credentials` with the old key kept.",
                [], Body("UpdateIntegratedAccountRequest"), Ok("The updated account.", Schema("IntegratedAccount")),
                [400, 401, 404, 413, 415, 422, 429, 502, 503, 504, 500], accountRoute: true),
            ["delete"] = Operation(AccountsTag, "deleteIntegratedAccount", "Unlink an integrated account",
                "Deletes the key's secret (Key Vault soft-deletes it) and the account.",
                [], null, Ok("The account is unlinked.", Schema("Deleted")), [401, 404, 503, 500], accountRoute: true),
        });
        AddPath("integrated-accounts/{id}/validate", new JsonObject
        {
            ["parameters"] = new JsonArray(Reference("parameters", "IntegratedAccountPathId")),
            ["post"] = Operation(AccountsTag, "validateIntegratedAccount", "Check an account's key now",
                "Runs the credential check at once: `active` when Insightly accepts the key, `needs_reauth` when it rejects it; a " +
                "transient failure keeps the status and records `last_error`.",
                [], null, Ok("The account after the check.", Schema("IntegratedAccount")), [401, 404, 503, 500], accountRoute: true),
        });
    }

    private void AddResourcePaths(CrmResource resource)
    {
        var names = new ResourceNames(resource);
        Tag(names.Tag, $"Unified {resource.Name} over Insightly's {resource.Collection}: " + resource.Verbs switch
        {
            CrmVerbs.All => "list, get, create, update and delete.",
            CrmVerbs.Read => "read-only (list and get).",
            var verbs => $"{verbs}.",
        });
        AddResourceSchemas(resource, names);

        var collection = new JsonObject();
        foreach (var method in resource.CollectionMethods)
        {
            collection[method.ToLowerInvariant()] = method switch
            {
                "GET" => ListOperation(resource, names),
                "POST" => CreateOperation(resource, names),
                _ => throw new InvalidOperationException($"No OpenAPI operation for {method} {resource.Route}."),
            };
        }

        AddPath(resource.Route, collection);
        if (resource.ItemMethods.Count == 0)
        {
            return;
        }

        var item = new JsonObject { ["parameters"] = new JsonArray(Reference("parameters", "RecordId")) };
        foreach (var method in resource.ItemMethods)
        {
            item[method.ToLowerInvariant()] = method switch
            {
                "GET" => Operation(names.Tag, "get" + names.Singular, $"Get {names.Article} {names.Display}",
                    $"One {resource.Entity} by its Insightly id.",
                    [.. AccountParameters(), Reference("parameters", "IncludeRemoteData")], null,
                    Ok($"The {resource.Entity}.", Schema(names.Singular)), [400, 401, 403, 404, 422, 429, 502, 503, 504, 500]),
                "PATCH" => Operation(names.Tag, "update" + names.Singular, $"Update {names.Article} {names.Display}",
                    "Changes only the fields sent; `null` clears a field. `custom_fields` and `remote_data` are merged the same way. " +
                    "A repeat with the same `Idempotency-Key` and body returns the first answer without writing again." + FollowUpNote(resource),
                    [.. AccountParameters(), Reference("parameters", "IdempotencyKey"), Reference("parameters", "IncludeRemoteData")],
                    Body(names.Singular + "UpdateRequest"),
                    Ok($"The {resource.Entity} as Insightly now holds it.", Schema(names.Singular), replayable: true),
                    [400, 401, 403, 404, 409, 413, 415, 422, 429, 502, 503, 504, 500]),
                "DELETE" => Operation(names.Tag, "delete" + names.Singular, $"Delete {names.Article} {names.Display}",
                    $"Deletes the {resource.Entity} in Insightly.",
                    [.. AccountParameters()], null,
                    Ok($"The {resource.Entity} is deleted.", Schema("Deleted")), [400, 401, 403, 404, 422, 429, 502, 503, 504, 500]),
                _ => throw new InvalidOperationException($"No OpenAPI operation for {method} {resource.Route}/{{id}}."),
            };
        }

        AddPath(resource.Route + "/{id}", item);
    }

    private JsonObject ListOperation(CrmResource resource, ResourceNames names)
    {
        var parameters = new List<JsonNode> { Reference("parameters", "Limit"), Reference("parameters", "NextCursor") };
        if (resource.HasTimestamps && resource.Searchable)
        {
            parameters.Add(Reference("parameters", "UpdatedAfter"));
        }

        parameters.Add(Reference("parameters", "IncludeRemoteData"));
        parameters.AddRange(resource.Filters.Select(FilterParameter));
        if (resource.Searchable)
        {
            parameters.Add(Reference("parameters", "RemoteQuery"));
        }

        var filters = resource.Filters.Select(f => $"`{f.Name}`").Concat(resource.Searchable ? ["`remote_query[FIELD]`"] : []).ToList();
        var description = $"A page of {resource.Name}, in Insightly's order (ascending record id). One page is one Insightly call";
        var linked = resource.Filters.Where(f => f.Kind == FilterKind.Linked).Select(f => $"`{f.Name}`").ToList();
        description += linked.Count == 0 ? "." : $", except with {string.Join(" or ", linked)}: the linked records' ids are one call, then each record of the page is one more, " +
            $"so such a page holds at most {ListFilter.LinkedPageSize} (`next_cursor` goes on).";
        if (filters.Count > 0)
        {
            description += $" Field filters ({string.Join(", ", filters)}) are exact and one at a time: a second is 400 `unsupported_filter`.";
        }

        return Operation(names.Tag, "list" + names.Plural, $"List {names.DisplayPlural}",
            description,
            [.. AccountParameters(), .. parameters], null,
            Ok($"A page of {resource.Name}.", Schema(names.Singular + "List")),
            [400, 401, 403, 404, 422, 429, 502, 503, 504, 500]);
    }

    private JsonObject CreateOperation(CrmResource resource, ResourceNames names)
    {
        var createOnly = resource.UnifiedFields.Where(f => f.IsCreateOnly).Select(f => $"`{f.Name}`").ToList();
        var description = "Creates the record in Insightly. `remote_data` holds Insightly fields merged into its body last. " +
            "A repeat with the same `Idempotency-Key` and body returns the first answer without creating another.";
        if (createOnly.Count > 0)
        {
            description += $" Create-only: {string.Join(", ", createOnly)}.";
        }

        return Operation(names.Tag, "create" + names.Singular, $"Create {names.Article} {names.Display}",
            description + FollowUpNote(resource),
            [.. AccountParameters(), Reference("parameters", "IdempotencyKey"), Reference("parameters", "IncludeRemoteData")],
            Body(names.Singular + "CreateRequest"),
            Created($"The {resource.Entity} as Insightly holds it.", Schema(names.Singular), replayable: true),
            [400, 401, 403, 404, 409, 413, 415, 422, 429, 502, 503, 504, 500]);
    }

    /// <summary>Links, pipelines, stages and states change through extra Insightly calls after the record is written.</summary>
    private static string FollowUpNote(CrmResource resource)
    {
        var changed = resource.Fields
            .SelectMany(m => m switch
            {
                LinksMap links when links.Field.IsEditable => [links.Field.Name],
                PipelineStageMap or OpportunityStateMap => m.Fields.Select(f => f.Name),
                _ => [],
            })
            .Select(name => $"`{name}`")
            .ToList();
        return changed.Count == 0
            ? ""
            : $" Changing {string.Join(", ", changed[..^1])}{(changed.Count > 1 ? " or " : "")}{changed[^1]} makes extra Insightly calls after the record itself is written " +
              "(links are added and removed one call each through `/Links`); if one of them fails, the error's `details` lists what was `applied` and `not_applied`.";
    }

    private void AddContactContextPath()
    {
        var names = new ResourceNames(Contacts.Resource);
        resourceSchemas.Add(("CrmContactContext", ContactContextSchema()));
        AddPath(Contacts.Route + "/{id}/context", new JsonObject
        {
            ["parameters"] = new JsonArray(Reference("parameters", "RecordId")),
            ["get"] = Operation(names.Tag, "getCrmContactContext", "Get a CRM contact with its context",
                "The contact, its account, its open opportunities, its projects, its open tasks and its 10 latest notes (newest first), " +
                "each a unified object without `remote_data`. Insightly calls: the contact (1; its links name its opportunities and projects), " +
                $"its account (1), each linked opportunity and project (1 each, at most the {ContactContextReader.MostLinked} newest of each), its tasks " +
                $"(1, or 2 beyond {ContactContextReader.TaskWindow}: the newest) and its notes (1, or 2 beyond {ContactContextReader.LatestNotes}): " +
                $"at most {6 + 2 * ContactContextReader.MostLinked}, besides the per-account lookups. `truncated` names the sections these bounds cut short.",
                [.. AccountParameters()], null,
                Ok("The contact and its context.", Schema("CrmContactContext")), [400, 401, 403, 404, 422, 429, 502, 503, 504, 500]),
        });
    }

    private void AddFieldsPath()
    {
        var resource = FieldsCatalog.FieldsResource;
        var names = new ResourceNames(resource);
        Tag(names.Tag, "The fields each unified entity has: its standard fields (from the same descriptors this document comes from) and the account's Insightly custom fields.");
        AddFieldSchemas(names);
        var entity = Parameter("entity", "query", "The unified entity whose fields to list.", Enum(CrmResources.FieldEntities.Keys), required: true);
        AddPath(resource.Route, new JsonObject
        {
            ["get"] = Operation(names.Tag, "list" + names.Plural, $"List {names.DisplayPlural}",
                "The standard fields of the entity, then the account's custom fields for it (`is_user_defined`), a page at a time.",
                [.. AccountParameters(), entity, Reference("parameters", "Limit"), Reference("parameters", "NextCursor"), Reference("parameters", "IncludeRemoteData")],
                null,
                Ok("A page of field definitions.", Schema(names.Singular + "List")),
                [400, 401, 403, 404, 422, 429, 502, 503, 504, 500]),
        });
    }

    private static IEnumerable<JsonNode> AccountParameters() =>
        [Reference("parameters", "IntegratedAccountId"), Reference("parameters", "IntegratedAccountIdHeader")];

    private JsonObject Operation(
        string tag, string operationId, string summary, string description, IEnumerable<JsonNode> parameters, JsonObject? body,
        (string Status, JsonObject Response) success, int[] errors, bool accountRoute = false)
    {
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray(tag),
            ["summary"] = summary,
            ["description"] = description,
            ["operationId"] = operationId,
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

        var responses = new JsonObject { [success.Status] = success.Response };
        foreach (var status in errors.Order())
        {
            responses[status.ToString(CultureInfo.InvariantCulture)] = Response(ErrorResponseName(status, accountRoute));
        }

        operation["responses"] = responses;
        return operation;
    }

    private static (string, JsonObject) Ok(string description, JsonObject schema, bool replayable = false) =>
        ("200", Json(description, schema, replayable));

    private static (string, JsonObject) Created(string description, JsonObject schema, bool replayable = false) =>
        ("201", Json(description, schema, replayable));

    private static JsonObject Json(string description, JsonObject schema, bool replayable = false)
    {
        var response = new JsonObject { ["description"] = description };
        if (replayable)
        {
            response["headers"] = new JsonObject { ["Idempotent-Replayed"] = Reference("headers", "IdempotentReplayed") };
        }

        response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } };
        return response;
    }

    private static JsonObject Body(string schema) => new()
    {
        ["required"] = true,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Schema(schema) } },
    };

    private static JsonObject Parameter(string name, string location, string description, JsonObject schema, bool required = false)
    {
        var parameter = new JsonObject { ["name"] = name, ["in"] = location, ["description"] = description };
        if (required)
        {
            parameter["required"] = true;
        }

        parameter["schema"] = schema;
        return parameter;
    }

    /// <summary>A shared <c>limit</c> when the route's bounds are the unified lists'; its own otherwise.</summary>
    private static JsonObject LimitParameter(int defaultValue, int maximum) =>
        (defaultValue, maximum) == (PageRequest.DefaultLimit, PageRequest.MaxLimit)
            ? Reference("parameters", "Limit")
            : Limit(defaultValue, maximum);

    private static JsonObject FilterParameter(ListFilter filter)
    {
        var description = filter.Kind switch
        {
            FilterKind.Field => $"Only records whose Insightly `{filter.Target}` is exactly this value.",
            FilterKind.Tag => "Only records with this tag (Insightly's tag search, which takes no `updated_after`).",
            FilterKind.Parent => $"Only those of this record (listed through Insightly's `/{filter.Target}/{{id}}/…`, one call a page).",
            FilterKind.Linked => $"Only those linked to this record (the ids from Insightly's `/{filter.Target}/{{id}}/Links`, then each record by id).",
            FilterKind.Local => $"Only those whose `{filter.Target}` is this id.",
            _ => throw new InvalidOperationException($"Unknown filter kind {filter.Kind}."),
        };
        return Parameter(filter.Name, "query", description, filter.IsId ? IdSchema() : new JsonObject { ["type"] = "string", ["minLength"] = 1 });
    }

    private static string ErrorResponseName(int status, bool accountRoute) => status switch
    {
        400 => "BadRequest",
        401 => accountRoute ? "FunctionKeyRejected" : "Unauthorized",
        403 => "Forbidden",
        404 => accountRoute ? "IntegratedAccountNotFound" : "NotFound",
        409 => "IdempotencyConflict",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => accountRoute ? "InvalidCredentials" : "RemoteValidationError",
        429 => "RateLimited",
        500 => "InternalError",
        502 => "UpstreamError",
        503 => "Unavailable",
        504 => "UpstreamTimeout",
        _ => throw new InvalidOperationException($"No error response for {status}."),
    };

    private static long MaxBodyBytes => new ApiOptions().MaxBodyBytes;

    private static JsonObject Reference(string kind, string name) => new() { ["$ref"] = $"#/components/{kind}/{name}" };

    private static JsonObject Schema(string name) => Reference("schemas", name);

    private static JsonObject Response(string name) => Reference("responses", name);

    private static JsonObject Enum(IEnumerable<string> values) => new()
    {
        ["type"] = "string",
        ["enum"] = new JsonArray([.. values.Select(v => (JsonNode?)v)]),
    };

    /// <summary>An Insightly record id as the pipeline accepts it (<see cref="InsightlyValues.ParseId"/>): 1 to 18 digits.</summary>
    private static JsonObject IdSchema() => new() { ["type"] = "string", ["pattern"] = "^[0-9]{1,18}$", ["examples"] = new JsonArray("101") };

    /// <summary>"an" before the vowel sounds of this API's nouns (an account, an opportunity), else "a" (a user).</summary>
    private static string Article(string noun) => noun[0] is 'a' or 'e' or 'i' or 'o' ? "an" : "a";

    /// <summary>
    /// The names a unified resource goes by in the document, from its route and entity: for
    /// <c>unified/crm/contacts</c> the schema <c>CrmContact</c>, operations <c>listCrmContacts</c> and
    /// <c>getCrmContact</c>, tag <c>CRM contacts</c>; for <c>unified/user-directory/users</c>,
    /// <c>UserDirectoryUser</c> and <c>listUserDirectoryUsers</c>.
    /// </summary>
    private sealed class ResourceNames
    {
        public ResourceNames(CrmResource resource)
        {
            var area = resource.Route.Split('/')[^2];
            var areaName = area == "crm" ? "CRM" : area.Replace('-', ' ');
            Singular = Pascal(area) + Pascal(resource.Entity);
            Plural = Pascal(area) + Pascal(resource.Name);
            Tag = $"{char.ToUpperInvariant(areaName[0])}{areaName[1..]} {resource.Name}";
            Display = $"{areaName} {resource.Entity}";
            DisplayPlural = $"{areaName} {resource.Name}";
            Article = OpenApiBuilder.Article(Display);
        }

        public string Singular { get; }

        public string Plural { get; }

        public string Tag { get; }

        /// <summary>E.g. <c>CRM contact</c>, <c>user directory user</c>.</summary>
        public string Display { get; }

        /// <summary>E.g. <c>CRM contacts</c>.</summary>
        public string DisplayPlural { get; }

        public string Article { get; }

        private static string Pascal(string text) =>
            string.Concat(text.Split('-', '_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
    }
}
