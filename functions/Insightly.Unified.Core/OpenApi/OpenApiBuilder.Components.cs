using System.Reflection;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Health;
using Insightly.Unified.Http;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Unified.Idempotency;
using Insightly.Unified.Unified.Listing;
using Insightly.Unified.Unified.Lookups;
using Insightly.Unified.Unified.Mapping;
using Insightly.Unified.Unified.Resources;

namespace Insightly.Unified.OpenApi;

/// <summary>The document's components: security schemes, schemas, parameters, headers and error responses.</summary>
internal sealed partial class OpenApiBuilder
{
    private const string FunctionKeyHeader = "FunctionKeyHeader";
    private const string FunctionKeyQuery = "FunctionKeyQuery";

    /// <summary>The schemas of the unified resources, added while their paths are built.</summary>
    private readonly List<(string Name, JsonObject Schema)> resourceSchemas = [];

    private JsonObject Components()
    {
        var schemas = new JsonObject
        {
            ["Error"] = ErrorSchema(),
            ["Deleted"] = ObjectOf(typeof(DeletedAccount), "What a delete answers: the id of what is gone.",
                ("id", new JsonObject { ["type"] = "string" })),
            ["HealthReport"] = ObjectOf(typeof(HealthReport), "Up or not, and nothing more.",
                ("status", Enum(["ok", "degraded"])),
                ("storage", Enum(["ok", "unreachable"])),
                ("secret_store", Enum(["ok", "unreachable"]))),
            ["IntegratedAccount"] = IntegratedAccountSchema(),
            ["IntegratedAccountList"] = ListEnvelope("IntegratedAccount", "integrated accounts"),
            ["IssuedLinkToken"] = IssuedLinkTokenSchema(),
            ["LinkIntegratedAccountRequest"] = LinkRequestSchema(),
            ["LinkTokenRequest"] = LinkTokenRequestSchema(),
            ["UpdateIntegratedAccountRequest"] = UpdateRequestSchema(),
        };
        foreach (var (name, schema) in resourceSchemas)
        {
            schemas[name] = schema;
        }

        return new JsonObject
        {
            ["securitySchemes"] = new JsonObject
            {
                [FunctionKeyHeader] = new JsonObject
                {
                    ["type"] = "apiKey",
                    ["in"] = "header",
                    ["name"] = "x-functions-key",
                    ["description"] = "An Azure Functions key of the Function App (`az functionapp keys list`). The local host asks for none.",
                },
                [FunctionKeyQuery] = new JsonObject
                {
                    ["type"] = "apiKey",
                    ["in"] = "query",
                    ["name"] = "code",
                    ["description"] = "The same function key in the query string, for clients that cannot set headers.",
                },
            },
            ["schemas"] = schemas,
            ["parameters"] = Parameters(),
            ["headers"] = new JsonObject
            {
                ["RetryAfter"] = new JsonObject
                {
                    ["description"] = "Seconds to wait before trying again.",
                    ["schema"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
                },
                ["IdempotentReplayed"] = new JsonObject
                {
                    ["description"] = "`true` when this is the stored answer to an earlier request with the same `Idempotency-Key` and body; nothing was written again.",
                    ["schema"] = Enum(["true"]),
                },
            },
            ["responses"] = ErrorResponses(),
        };
    }

    private static JsonObject ErrorSchema() =>
        ObjectOf(typeof(ErrorBody), "The one shape of every failure.",
            ("status_code", new JsonObject
            {
                ["type"] = "integer",
                ["minimum"] = 400,
                ["maximum"] = 599,
                ["description"] = "The HTTP status, repeated.",
            }),
            ("error", new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray([.. ErrorCodeValues().Select(v => (JsonNode?)v)]),
                ["description"] = "What went wrong, as a stable code.",
            }),
            ("message", new JsonObject
            {
                ["type"] = "string",
                ["description"] = "A sentence saying what to fix. A 500's quotes a correlation id, never a stack trace.",
            }),
            ("details", new JsonObject
            {
                ["type"] = "object",
                ["description"] = "What the error is about: `parameter` (the query parameter or header), `fields` (the body fields), " +
                    "`scope` (`second` or `daily`) and `retry_after_seconds` on 429, `source` (`storage` or `secret_store`) on a 503 of our own, " +
                    "`applied` and `not_applied` when a write was only partly done.",
            }),
            ("remote_error", new JsonObject
            {
                ["type"] = "boolean",
                ["const"] = true,
                ["description"] = "Present when this is Insightly's answer rather than ours.",
            }),
            ("remote_status", new JsonObject
            {
                ["type"] = "integer",
                ["description"] = "The status Insightly answered.",
            }),
            ("raw_response", new JsonObject
            {
                ["description"] = "Insightly's body as it sent it: its JSON, or its text (at most 4096 characters).",
            }));

    /// <summary>The constants of <see cref="ErrorCodes"/>, in the order they are declared there.</summary>
    private static IEnumerable<string> ErrorCodeValues() =>
        typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .OrderBy(f => f.MetadataToken)
            .Select(f => (string)f.GetRawConstantValue()!);

    private static JsonObject IntegratedAccountSchema()
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

        static JsonObject NullableObject(Type type, string description, params (string Name, JsonObject Schema)[] properties)
        {
            var schema = ObjectOf(type, description, properties);
            schema["type"] = new JsonArray("object", "null");
            return schema;
        }

        return ObjectOf(typeof(IntegratedAccount), "A linked Insightly account. It never holds the key.",
            ("id", new JsonObject
            {
                ["type"] = "string",
                ["description"] = "Generated and URL-safe.",
                ["examples"] = new JsonArray("ia-k3v7q2m4x5c6b7n2d3f4g5h6"),
            }),
            ("tenant_id", Nullable("string").With("description", "The caller's own customer id.")),
            ("label", Nullable("string")),
            ("pod", new JsonObject { ["type"] = "string", ["description"] = "The Insightly pod that hosts the instance.", ["examples"] = new JsonArray("na1") }),
            ("status", Enum(AccountStatus.All).With("description",
                "`active`; `needs_reauth` once Insightly rejected the key (no call is made until it is replaced or re-validated); " +
                "`validation_error` after repeated transient check failures.")),
            ("instance", NullableObject(typeof(InstanceInfo), "The Insightly instance.",
                ("name", Nullable("string")), ("subdomain", Nullable("string")), ("plan", Nullable("string")))),
            ("user", NullableObject(typeof(AccountUser), "The Insightly user whose key it is.",
                ("id", Nullable("string")), ("name", Nullable("string")), ("email", Nullable("string")))),
            ("created_at", Timestamp()),
            ("updated_at", Timestamp()),
            ("last_validated_at", Nullable("string", "date-time")),
            ("last_error", NullableObject(typeof(AccountError), "The last failed check, cleared by a successful one.",
                ("status", Nullable("integer")), ("message", new JsonObject { ["type"] = "string" }), ("at", Timestamp()))),
            ("rate_limit", NullableObject(typeof(RateLimitSnapshot), "Insightly's daily quota as its `X-RateLimit-*` headers last showed it.",
                ("limit", Nullable("integer")), ("remaining", Nullable("integer")), ("observed_at", Timestamp()))));
    }

    private static JsonObject LinkRequestSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "Exactly one of `pod` and `api_url` says where the instance is.",
        ["required"] = new JsonArray("api_key"),
        ["properties"] = new JsonObject
        {
            ["api_key"] = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["maxLength"] = LinkAccountRequest.MaxApiKeyLength,
                ["writeOnly"] = true,
                ["description"] = "The customer's Insightly API key (User Settings → API).",
            },
            ["pod"] = new JsonObject { ["type"] = "string", ["description"] = "The Insightly pod.", ["examples"] = new JsonArray("na1") },
            ["api_url"] = new JsonObject
            {
                ["type"] = "string",
                ["format"] = "uri",
                ["maxLength"] = 2048,
                ["description"] = "The API URL shown with the key in Insightly; the pod is read from it.",
                ["examples"] = new JsonArray("https://api.na1.insightly.com/v3.1/"),
            },
            ["tenant_id"] = new JsonObject
            {
                ["type"] = new JsonArray("string", "null"),
                ["minLength"] = 1,
                ["maxLength"] = LinkAccountRequest.MaxTenantIdLength,
                ["description"] = "The caller's own customer id.",
            },
            ["label"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["minLength"] = 1, ["maxLength"] = LinkAccountRequest.MaxLabelLength },
        },
        ["oneOf"] = new JsonArray(
            new JsonObject { ["required"] = new JsonArray("pod"), ["properties"] = new JsonObject { ["pod"] = new JsonObject { ["type"] = "string" } } },
            new JsonObject { ["required"] = new JsonArray("api_url"), ["properties"] = new JsonObject { ["api_url"] = new JsonObject { ["type"] = "string" } } }),
        ["additionalProperties"] = false,
    };

    private static JsonObject UpdateRequestSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "Any of the fields; `null` clears `tenant_id` or `label`.",
        ["minProperties"] = 1,
        ["properties"] = new JsonObject
        {
            ["api_key"] = new JsonObject
            {
                ["type"] = "string",
                ["minLength"] = 1,
                ["maxLength"] = LinkAccountRequest.MaxApiKeyLength,
                ["writeOnly"] = true,
                ["description"] = "A new key for the same Insightly instance; checked with Insightly before it replaces the old one.",
            },
            ["tenant_id"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["minLength"] = 1, ["maxLength"] = LinkAccountRequest.MaxTenantIdLength },
            ["label"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["minLength"] = 1, ["maxLength"] = LinkAccountRequest.MaxLabelLength },
        },
        ["additionalProperties"] = false,
    };

    /// <summary>A unified resource's object, list envelope and (where it allows them) create and update bodies, from its descriptor.</summary>
    private void AddResourceSchemas(CrmResource resource, ResourceNames names)
    {
        var returned = resource.UnifiedFields.Where(f => !f.IsCreateOnly).ToList();
        var properties = new JsonObject();
        foreach (var field in returned)
        {
            properties[field.Name] = FieldSchema(field, readOnly: !field.IsEditable);
        }

        var required = returned.Select(f => f.Name).ToList();
        if (resource.HasCustomFields)
        {
            properties[CustomFieldValues.Property] = CustomFieldsSchema(resource);
            required.Add(CustomFieldValues.Property);
        }

        properties[RecordMapper.RemoteData] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"The {resource.Entity} exactly as Insightly sent it; left out when `include_remote_data=false`.",
        };
        resourceSchemas.Add((names.Singular, new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"A unified {resource.Entity} (Insightly's {resource.Collection}).",
            ["required"] = new JsonArray([.. required.Select(r => (JsonNode?)r)]),
            ["properties"] = properties,
        }));
        resourceSchemas.Add((names.Singular + "List", ListEnvelope(names.Singular, resource.Name)));

        if (resource.Verbs.HasFlag(CrmVerbs.Create))
        {
            resourceSchemas.Add((names.Singular + "CreateRequest", WriteSchema(resource, WriteKind.Create)));
        }

        if (resource.Verbs.HasFlag(CrmVerbs.Update))
        {
            resourceSchemas.Add((names.Singular + "UpdateRequest", WriteSchema(resource, WriteKind.Update)));
        }
    }

    /// <summary>
    /// What a POST or PATCH accepts (<see cref="RecordMapper.Plan"/>): the editable fields (create-only ones on
    /// create only), <c>custom_fields</c> where the resource has them, and <c>remote_data</c>; nothing else.
    /// </summary>
    private static JsonObject WriteSchema(CrmResource resource, WriteKind kind)
    {
        var fields = resource.UnifiedFields.Where(f => f.IsEditable && (kind == WriteKind.Create || !f.IsCreateOnly)).ToList();
        var properties = new JsonObject();
        foreach (var field in fields)
        {
            properties[field.Name] = kind == WriteKind.Create && field.IsRequired ? NonNull(FieldSchema(field)) : FieldSchema(field);
        }

        if (resource.HasCustomFields)
        {
            properties[CustomFieldValues.Property] = CustomFieldsSchema(resource);
        }

        properties[RecordMapper.RemoteData] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = $"Insightly fields merged into the upstream body last, for columns the unified model lacks (not `{resource.IdField}`).",
        };

        var schema = new JsonObject { ["type"] = "object" };
        if (kind == WriteKind.Create)
        {
            schema["description"] = $"A new {resource.Entity}.";
            var required = fields.Where(f => f.IsRequired).Select(f => (JsonNode?)f.Name).ToArray();
            if (required.Length > 0)
            {
                schema["required"] = new JsonArray(required);
            }
        }
        else
        {
            schema["description"] = $"The {resource.Entity}'s fields to change; `null` clears one.";
            schema["minProperties"] = 1;
        }

        schema["properties"] = properties;
        var rules = kind == WriteKind.Create ? resource.Fields.Select(m => m.CreateBodyRule).OfType<JsonObject>().ToList() : [];
        if (rules.Count == 1)
        {
            foreach (var (key, value) in rules[0])
            {
                schema[key] = value?.DeepClone();
            }
        }
        else if (rules.Count > 1)
        {
            schema["allOf"] = new JsonArray([.. rules]);
        }

        schema["additionalProperties"] = false;
        return schema;
    }

    /// <summary>The field's own JSON Schema fragment (a copy), with what a reader needs besides.</summary>
    private static JsonObject FieldSchema(UnifiedField field, bool readOnly = false)
    {
        var schema = field.Schema.DeepClone().AsObject();
        if (field.ReferenceEntity is { } entity)
        {
            var noun = entity.Replace('_', ' ');
            schema["description"] = field.Type == "reference_list" ? $"References to {noun} records." : $"A reference to {Article(noun)} {noun}.";
        }

        if (readOnly)
        {
            schema["readOnly"] = true;
        }

        return schema;
    }

    /// <summary>The schema without <c>null</c> among its types and values: a required field on create.</summary>
    private static JsonObject NonNull(JsonObject schema)
    {
        if (schema["type"] is JsonArray types)
        {
            var kept = types.Where(t => t!.GetValue<string>() != "null").Select(t => t!.GetValue<string>()).ToList();
            schema["type"] = kept.Count == 1 ? kept[0] : new JsonArray([.. kept.Select(t => (JsonNode?)t)]);
        }

        if (schema["enum"] is JsonArray values)
        {
            schema["enum"] = new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())]);
        }

        return schema;
    }

    /// <summary><c>GET …/contacts/{id}/context</c>: unified objects of their resources (without <c>remote_data</c>).</summary>
    private static JsonObject ContactContextSchema()
    {
        static JsonObject ListOf(string item) => new() { ["type"] = "array", ["items"] = Schema(item) };
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "A contact and what a support or sales tool wants beside it. The objects carry no `remote_data`.",
            ["required"] = new JsonArray("contact", "account", "opportunities", "projects", "tasks", "notes", "truncated"),
            ["properties"] = new JsonObject
            {
                ["contact"] = Schema("CrmContact"),
                ["account"] = new JsonObject { ["oneOf"] = new JsonArray(Schema("CrmAccount"), new JsonObject { ["type"] = "null" }), ["description"] = "The contact's account, or null." },
                ["opportunities"] = ListOf("CrmOpportunity").With("description", "Its open opportunities (linked to it)."),
                ["projects"] = ListOf("CrmProject").With("description", "Its projects (linked to it)."),
                ["tasks"] = ListOf("CrmTask").With("description", "Its tasks that are not completed."),
                ["notes"] = ListOf("CrmNote").With("description", "Its latest notes, newest first."),
                ["truncated"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("opportunities", "projects", "tasks") },
                    ["description"] = "The sections the call budget cut short: more opportunities or projects are linked than were read, or the contact has more tasks than were searched.",
                },
            },
        };
    }

    private static JsonObject CustomFieldsSchema(CrmResource resource) => new()
    {
        ["type"] = "object",
        ["description"] = $"The account's Insightly custom fields by name (such as `Segment__c`), typed by their definitions " +
            $"(`GET /unified/crm/fields?entity={resource.Entity}`): dates `yyyy-MM-dd`, datetimes ISO 8601 with `Z`, numbers, booleans, " +
            "multi-selects as arrays.",
    };

    private static JsonObject ListEnvelope(string item, string what) => new()
    {
        ["type"] = "object",
        ["description"] = $"A page of {what}.",
        ["required"] = new JsonArray("result", "next_cursor", "result_count"),
        ["properties"] = new JsonObject
        {
            ["result"] = new JsonObject { ["type"] = "array", ["items"] = Schema(item) },
            ["next_cursor"] = NextCursorProperty(),
            ["result_count"] = ResultCountProperty(),
        },
    };

    private static JsonObject NextCursorProperty() => new()
    {
        ["type"] = new JsonArray("string", "null"),
        ["description"] = "Pass it back as `next_cursor` for the next page; `null` on the last page.",
    };

    private static JsonObject ResultCountProperty() => new()
    {
        ["type"] = "integer",
        ["minimum"] = 0,
        ["description"] = "How many results this page holds.",
    };

    /// <summary>The items of <c>GET /unified/crm/fields</c>, as <see cref="Unified.Pipeline.FieldsCatalog"/> writes them.</summary>
    private void AddFieldSchemas(ResourceNames names)
    {
        var standard = CrmResources.FieldEntities.Values.SelectMany(r => r.UnifiedFields).Select(f => f.Type);
        var custom = System.Enum.GetValues<CustomFieldKind>().Select(CustomFieldValues.TypeName);
        var types = standard.Concat(custom).Distinct(StringComparer.Ordinal).Select(t => $"`{t}`");
        static JsonObject Text() => new() { ["type"] = "string" };
        static JsonObject Flag(string description) => new() { ["type"] = "boolean", ["description"] = description };
        static JsonObject NullableText(string description) => new() { ["type"] = new JsonArray("string", "null"), ["description"] = description };

        resourceSchemas.Add((names.Singular, new JsonObject
        {
            ["type"] = "object",
            ["description"] = "One field of a unified entity: a standard field, or one of the account's Insightly custom fields.",
            ["required"] = new JsonArray("id", "name", "label", "type", "is_user_defined", "is_editable", "is_create_only", "is_hidden",
                "is_required", "default_value", "options", "reference_entity", "entity_type"),
            ["properties"] = new JsonObject
            {
                ["id"] = Text(),
                ["name"] = Text().With("description", "The key in the unified object (`first_name`), or in its `custom_fields` (`Segment__c`)."),
                ["label"] = Text(),
                ["type"] = Text().With("description", $"One of {string.Join(", ", types)}."),
                ["is_user_defined"] = Flag("A custom field of the account."),
                ["is_editable"] = Flag("Accepted in create and update bodies."),
                ["is_create_only"] = Flag("Accepted only when creating (a note's parent), never returned."),
                ["is_hidden"] = Flag("Hidden in Insightly."),
                ["is_required"] = Flag("Required when creating."),
                ["default_value"] = NullableText("Insightly's default for a custom field."),
                ["options"] = new JsonObject
                {
                    ["type"] = "array",
                    ["description"] = "The values an enumerated field takes.",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("label", "value"),
                        ["properties"] = new JsonObject { ["label"] = Text(), ["value"] = Text() },
                    },
                },
                ["reference_entity"] = NullableText("What a reference points at."),
                ["entity_type"] = Enum(CrmResources.FieldEntities.Keys),
                ["remote_data"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "A custom field's definition exactly as Insightly sent it; left out for standard fields and when `include_remote_data=false`.",
                },
            },
        }));
        resourceSchemas.Add((names.Singular + "List", ListEnvelope(names.Singular, "field definitions")));
    }

    private static JsonObject Parameters() => new()
    {
        ["IntegratedAccountId"] = Parameter("integrated_account_id", "query",
            "The linked account to use. This or the `X-Integrated-Account-Id` header is required: neither is 400 `missing_parameter`, " +
            "two that differ 400 `invalid_parameter`, an unknown id 404 `account_not_found`.",
            new JsonObject { ["type"] = "string" }),
        ["IntegratedAccountIdHeader"] = Parameter("X-Integrated-Account-Id", "header",
            "The linked account to use, instead of `integrated_account_id`.", new JsonObject { ["type"] = "string" }),
        ["IntegratedAccountPathId"] = Parameter("id", "path", "The integrated account's id.", new JsonObject { ["type"] = "string" }, required: true),
        ["WebhookPathId"] = WebhookPathIdParameter(),
        ["RecordId"] = Parameter("id", "path", "The record's Insightly id; anything but digits is 400 `invalid_parameter`.", IdSchema(), required: true),
        ["Limit"] = Limit(PageRequest.DefaultLimit, PageRequest.MaxLimit),
        ["NextCursor"] = Parameter("next_cursor", "query",
            "The previous page's `next_cursor`, as received. It is bound to the account and the filters it came with: any other use is 400 `invalid_cursor`.",
            new JsonObject { ["type"] = "string" }),
        ["UpdatedAfter"] = Parameter("updated_after", "query",
            "Only records updated at or after this instant (ISO 8601 with a zone, such as `2024-02-03T04:05:06Z`).",
            new JsonObject { ["type"] = "string", ["format"] = "date-time" }),
        ["IncludeRemoteData"] = Parameter("include_remote_data", "query",
            "Whether each object carries `remote_data`, the record as Insightly sent it.",
            new JsonObject { ["type"] = "boolean", ["default"] = true }),
        ["RemoteQuery"] = new JsonObject
        {
            ["name"] = "remote_query",
            ["in"] = "query",
            ["description"] = "`remote_query[FIELD]=value`: Insightly's own exact search on its field `FIELD` (custom `…__c` fields too). " +
                "It counts as the one field filter.",
            ["style"] = "deepObject",
            ["explode"] = true,
            ["schema"] = new JsonObject
            {
                ["type"] = "object",
                ["propertyNames"] = new JsonObject { ["pattern"] = "^[A-Za-z][A-Za-z0-9_]{0,127}$" },
                ["additionalProperties"] = new JsonObject { ["type"] = "string" },
                ["maxProperties"] = 1,
            },
        },
        ["IdempotencyKey"] = Parameter(IdempotencyStore.Header, "header",
            "Makes the write safe to repeat: the same key with the same body returns the first answer (with `Idempotent-Replayed: true`) " +
            "without writing again; with another body, while the first is in flight, or when the first reached Insightly but its outcome " +
            "is not known (`details.outcome: unknown`: read the record first), it is 409 `idempotency_conflict`.",
            new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = IdempotencyStore.MaxKeyLength, ["pattern"] = "^[!-~]+$" }),
    };

    private static JsonObject Limit(int defaultValue, int maximum) => Parameter("limit", "query", "Results per page.",
        new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = maximum, ["default"] = defaultValue });

    private static JsonObject ErrorResponses() => new()
    {
        ["BadRequest"] = ErrorResponse(
            "A caller mistake: `missing_parameter`, `invalid_parameter`, `invalid_cursor`, `invalid_body` or `unsupported_filter`. " +
            "`details` names the parameter or the body fields.",
            400, ErrorCodes.InvalidBody, "'first_name' must be a string or null, not a number.", new JsonObject { ["fields"] = new JsonArray("first_name") }),
        ["FunctionKeyRejected"] = new JsonObject
        {
            ["description"] = "The function key is missing or wrong. The Functions host answers this in Azure, without a body.",
        },
        ["Unauthorized"] = ErrorResponse(
            "`account_needs_reauth`: Insightly rejected the account's key, now or earlier; no call is made until the key is replaced or " +
            "re-validated. (A missing or wrong function key is also 401, answered by the Functions host without a body.)",
            401, ErrorCodes.AccountNeedsReauth, "Insightly rejected the account's API key; link the account again with a valid key."),
        ["Forbidden"] = ErrorResponse(
            "`remote_forbidden`: Insightly answered 403; the key's user may not do this (its permissions or plan).",
            403, ErrorCodes.RemoteForbidden, "The Insightly user who owns this key may not do this.", remoteStatus: 403),
        ["IntegratedAccountNotFound"] = ErrorResponse("`account_not_found`: no integrated account has this id.",
            404, ErrorCodes.AccountNotFound, "No integrated account has the id 'ia-k3v7q2m4x5c6b7n2d3f4g5h6'.",
            new JsonObject { ["integrated_account_id"] = "ia-k3v7q2m4x5c6b7n2d3f4g5h6" }),
        ["NotFound"] = ErrorResponse("`account_not_found` for an unknown integrated account, or `not_found` when Insightly has no such record.",
            404, ErrorCodes.NotFound, "Insightly has no such record.", remoteStatus: 404),
        ["IdempotencyConflict"] = ErrorResponse(
            "`idempotency_conflict`: the `Idempotency-Key` was used with another body, its first request is still in flight, or its first " +
            "request reached Insightly but did not finish with an answer that could be kept (`details.outcome: unknown`, with the record's " +
            "`id` when known): read the record before writing again, with a new key.",
            409, ErrorCodes.IdempotencyConflict, "This Idempotency-Key was used with a different request."),
        ["PayloadTooLarge"] = ErrorResponse($"`payload_too_large`: the body is over the limit ({MaxBodyBytes} bytes unless configured otherwise).",
            413, ErrorCodes.PayloadTooLarge, $"The request body is larger than the {MaxBodyBytes} byte limit.",
            new JsonObject { ["limit_bytes"] = MaxBodyBytes }),
        ["UnsupportedMediaType"] = ErrorResponse("`unsupported_media_type`: the body is not `application/json` (the proxy: a form, `text/*` or untyped body).",
            415, ErrorCodes.UnsupportedMediaType, "Send the body as application/json (got 'text/plain')."),
        ["InvalidCredentials"] = ErrorResponse("`invalid_credentials`: Insightly rejected the key on that pod; nothing was stored or changed.",
            422, ErrorCodes.InvalidCredentials, "Insightly rejected the API key on pod 'na1'.", new JsonObject { ["pod"] = "na1" }, remoteStatus: 401),
        ["RemoteValidationError"] = ErrorResponse("`remote_validation_error`: Insightly refused the request (its 400); its message is in `raw_response`.",
            422, ErrorCodes.RemoteValidationError, "Insightly rejected the request: Invalid field value.", remoteStatus: 400),
        ["RateLimited"] = ErrorResponse(
            "`rate_limited`: Insightly throttled the account and retries were spent (`details.scope` `second`), or its daily quota is gone " +
            "(`daily`, until midnight UTC).",
            429, ErrorCodes.RateLimited, "Insightly is throttling this account (10 requests per second) and retries did not get through; try again shortly.",
            new JsonObject { ["scope"] = "second", ["retry_after_seconds"] = 1 }, retryAfter: true),
        ["InternalError"] = ErrorResponse("`internal_error`: a bug. The message carries a correlation id.",
            500, ErrorCodes.InternalError, "An unexpected error occurred. Quote correlation id 0HN8F2J3K4L5M:00000001 when reporting it."),
        ["UpstreamError"] = ErrorResponse("`upstream_error`: Insightly failed (a 5xx, or a body that is not JSON).",
            502, ErrorCodes.UpstreamError, "Insightly answered 500.", remoteStatus: 500),
        ["Unavailable"] = ErrorResponse(
            "`upstream_unavailable`: Insightly could not be reached or is paused after repeated failures, or our own storage or secret store " +
            "is down or refuses the app (`details.source` `storage` or `secret_store`).",
            503, ErrorCodes.UpstreamUnavailable, "Our storage is unavailable; try again shortly. Correlation id 0HN8F2J3K4L5M:00000002.",
            new JsonObject { ["source"] = "storage" }),
        ["UpstreamTimeout"] = ErrorResponse("`upstream_timeout`: Insightly did not answer in time.",
            504, ErrorCodes.UpstreamTimeout, "Insightly did not answer in time."),
    };

    private static JsonObject ErrorResponse(
        string description, int status, string error, string message, JsonObject? details = null, int? remoteStatus = null, bool retryAfter = false)
    {
        var example = new JsonObject { ["status_code"] = status, ["error"] = error, ["message"] = message };
        if (details is not null)
        {
            example["details"] = details;
        }

        if (remoteStatus is { } remote)
        {
            example["remote_error"] = true;
            example["remote_status"] = remote;
            example["raw_response"] = new JsonObject { ["Message"] = "…" };
        }

        var response = new JsonObject { ["description"] = description };
        if (retryAfter)
        {
            response["headers"] = new JsonObject { ["Retry-After"] = Reference("headers", "RetryAfter") };
        }

        response["content"] = new JsonObject
        {
            ["application/json"] = new JsonObject { ["schema"] = Schema("Error"), ["example"] = example },
        };
        return response;
    }

    /// <summary>
    /// An object schema whose properties are exactly those <paramref name="type"/> serializes with
    /// <see cref="ApiJsonContext"/>: a property added to or dropped from the type fails the build of this document
    /// until it is described here too. Properties written even when null are required; those left out when null
    /// (<see cref="ErrorBody"/>'s remote fields) are not.
    /// </summary>
    private static JsonObject ObjectOf(Type type, string description, params (string Name, JsonObject Schema)[] properties)
    {
        var serialized = (ApiJsonContext.Api.GetTypeInfo(type)
                ?? throw new InvalidOperationException($"{type.Name} is not serialized by ApiJsonContext."))
            .Properties.Where(p => p.Get is not null).ToList();
        var described = properties.Select(p => p.Name).ToList();
        if (!serialized.Select(p => p.Name).Order(StringComparer.Ordinal).SequenceEqual(described.Order(StringComparer.Ordinal)))
        {
            throw new InvalidOperationException(
                $"The OpenAPI schema of {type.Name} describes [{string.Join(", ", described)}] but the API serializes " +
                $"[{string.Join(", ", serialized.Select(p => p.Name))}]; update OpenApiBuilder.");
        }

        var always = serialized.Where(p => p.ShouldSerialize is null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = description,
            ["required"] = new JsonArray([.. described.Where(always.Contains).Select(p => (JsonNode?)p)]),
            ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Schema))),
        };
    }
}

/// <summary>Small conveniences for building schema objects.</summary>
internal static class JsonObjectExtensions
{
    public static JsonObject With(this JsonObject schema, string key, JsonNode? value)
    {
        schema[key] = value;
        return schema;
    }
}
