using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Insightly.Unified.OpenApi;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// <c>GET /api/openapi.json</c> over real HTTP, and the document held against what the API answers: every
/// answer below is checked against the schema its operation documents for that status.
/// </summary>
public sealed class OpenApiDocumentTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    private static readonly string CommittedPath = typeof(OpenApiDocumentTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "OpenApiDocumentPath").Value!;

    [Fact]
    public async Task Serves_the_committed_document_without_a_function_key()
    {
        // A client of its own: nothing but the request line, no key in a header or the query string.
        using var anonymous = new HttpClient { BaseAddress = host.Api.BaseAddress };
        using var response = await anonymous.GetAsync("openapi.json");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(File.ReadAllText(CommittedPath).ReplaceLineEndings("\n"), Encoding.UTF8.GetString(body));
        Assert.Equal(OpenApiDocument.Utf8, body);
        Assert.Equal("3.1.0", JsonNode.Parse(body)!["openapi"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_method_on_the_document_is_405_with_Allow()
    {
        using var response = await host.Api.PostAsync("openapi.json", JsonContent.Create(new { }));

        Json.AssertError(await Json.ReadAsync(response), 405, "method_not_allowed");
        Assert.Equal(["GET"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Every_answer_matches_the_schema_its_operation_documents()
    {
        var document = JsonNode.Parse(await host.Api.GetStringAsync("openapi.json"))!.AsObject();
        var check = new Checker(host.Api, document);
        var (instance, key) = host.NewInstance();
        var data = instance.SeedStandardData();
        var contacts = instance.SeedContacts(3);
        instance.SeedOrganisations(2);

        await check.Async("GET", "/health", "health");
        var account = await check.Async("POST", "/integrated-accounts", "integrated-accounts",
            new JsonObject { ["api_key"] = key, ["pod"] = "na1", ["tenant_id"] = "openapi-e2e", ["label"] = "Schema check" });
        var id = account.Str("id");
        var q = $"integrated_account_id={id}";
        await check.Async("GET", "/integrated-accounts", "integrated-accounts?tenant_id=openapi-e2e");
        await check.Async("GET", "/integrated-accounts/{id}", $"integrated-accounts/{id}");
        await check.Async("PATCH", "/integrated-accounts/{id}", $"integrated-accounts/{id}", new JsonObject { ["label"] = null });
        await check.Async("POST", "/integrated-accounts/{id}/validate", $"integrated-accounts/{id}/validate");

        var contactId = contacts[0]["CONTACT_ID"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture);
        var bodies = new Dictionary<string, JsonObject>
        {
            ["accounts"] = new()
            {
                ["name"] = "Ωmega Labs",
                ["website"] = "https://omega.example",
                ["phone_numbers"] = new JsonArray(new JsonObject { ["number"] = "+33 1", ["type"] = "work" }),
                ["addresses"] = new JsonArray(new JsonObject { ["street_1"] = "1 rue", ["city"] = "Paris", ["type"] = "billing" }),
                ["tags"] = new JsonArray(new JsonObject { ["name"] = "partner" }),
                ["custom_fields"] = new JsonObject { ["Segment__c"] = "SMB", ["Score__c"] = 7, ["Interests__c"] = new JsonArray("Golf") },
            },
            ["contacts"] = new()
            {
                ["first_name"] = "Zoë",
                ["last_name"] = "Ångström",
                ["email_addresses"] = new JsonArray(new JsonObject { ["email"] = "zoe@example.com", ["type"] = "work" }),
                ["custom_fields"] = new JsonObject { ["Renewal_Date__c"] = "2025-03-01", ["Is_Vip__c"] = true },
            },
            ["leads"] = new()
            {
                ["last_name"] = "Núñez",
                ["number_of_employees"] = 250,
                ["status"] = new JsonObject { ["id"] = data.DefaultLeadStatusId.ToString(CultureInfo.InvariantCulture) },
            },
            ["opportunities"] = new()
            {
                ["name"] = "Renewal",
                ["amount"] = 1250.5,
                ["probability"] = 40,
                ["close_date"] = "2025-06-30",
                ["pipeline"] = new JsonObject { ["id"] = data.Sales.Id.ToString(CultureInfo.InvariantCulture) },
                ["contacts"] = new JsonArray(new JsonObject { ["id"] = contactId }),
            },
            ["notes"] = new() { ["title"] = "Kick-off", ["contact"] = new JsonObject { ["id"] = contactId } },
            ["tasks"] = new() { ["subject"] = "Call back", ["status"] = "in_progress", ["priority"] = "high", ["due_date"] = "2025-10-26" },
            ["projects"] = new() { ["name"] = "Roll-out", ["status"] = "in_progress", ["pipeline"] = new JsonObject { ["id"] = data.Delivery.Id.ToString(CultureInfo.InvariantCulture) } },
        };
        foreach (var (resource, body) in bodies)
        {
            var path = $"/unified/crm/{resource}";
            var created = await check.Async("POST", path, $"unified/crm/{resource}?{q}", body);
            var itemPath = path + "/{id}";
            var item = $"unified/crm/{resource}/{created.Str("id")}?{q}";
            await check.Async("GET", itemPath, item);
            await check.Async("GET", itemPath, item + "&include_remote_data=false");
            await check.Async("PATCH", itemPath, item, new JsonObject { ["remote_data"] = new JsonObject() });
            await check.Async("GET", path, $"unified/crm/{resource}?{q}&limit=2");
            await check.Async("DELETE", itemPath, item);
        }

        foreach (var path in new[] { "/unified/crm/users", "/unified/crm/pipelines", "/unified/crm/stages", "/unified/user-directory/users" })
        {
            var page = await check.Async("GET", path, $"{path[1..]}?{q}");
            await check.Async("GET", path + "/{id}", $"{path[1..]}/{page["result"]![0].Str("id")}?{q}");
        }

        foreach (var entity in new[] { "contact", "account", "lead", "opportunity", "task", "project", "note" })
        {
            await check.Async("GET", "/unified/crm/fields", $"unified/crm/fields?{q}&entity={entity}&limit=500");
        }

        // Webhook subscriptions (a receiver that is never there: the test event is dropped once the subscription is deleted).
        var hook = await check.Async("POST", "/webhooks", "webhooks",
            new JsonObject { ["url"] = "http://127.0.0.1:9/hook", ["events"] = new JsonArray("*"), ["tenant_id"] = "openapi-e2e-hooks" });
        var hookId = hook.Str("id");
        await check.Async("GET", "/webhooks", "webhooks?limit=2");
        await check.Async("GET", "/webhooks/{id}", $"webhooks/{hookId}");
        await check.Async("PATCH", "/webhooks/{id}", $"webhooks/{hookId}", new JsonObject { ["description"] = "Schema check", ["enabled"] = false });
        await check.Async("POST", "/webhooks/{id}/rotate-secret", $"webhooks/{hookId}/rotate-secret");
        await check.Async("POST", "/webhooks/{id}/test", $"webhooks/{hookId}/test");
        await check.Async("POST", "/webhooks", "webhooks", new JsonObject { ["url"] = "ftp://example.com", ["events"] = new JsonArray("*") }, expect: 400);
        await check.Async("DELETE", "/webhooks/{id}", $"webhooks/{hookId}");
        await check.Async("GET", "/webhooks/{id}", $"webhooks/{hookId}", expect: 404);
        await check.Async("POST", "/webhooks/{id}/test", $"webhooks/{hookId}/test", expect: 404);

        // Failures, each checked against the error response its operation documents.
        await check.Async("GET", "/unified/crm/contacts", "unified/crm/contacts", expect: 400);
        await check.Async("GET", "/unified/crm/contacts", $"unified/crm/contacts?{q}&next_cursor=forged", expect: 400);
        await check.Async("GET", "/unified/crm/contacts/{id}", $"unified/crm/contacts/999999?{q}", expect: 404);
        await check.Async("GET", "/unified/crm/contacts", "unified/crm/contacts?integrated_account_id=ia-aaaaaaaaaaaaaaaaaaaaaaaa", expect: 404);
        await check.Async("POST", "/unified/crm/contacts", $"unified/crm/contacts?{q}", new JsonObject { ["colour"] = "red" }, expect: 400);
        await check.Async("POST", "/unified/crm/notes", $"unified/crm/notes?{q}", new JsonObject { ["title"] = "Orphan" }, expect: 400);
        await check.Async("POST", "/integrated-accounts", "integrated-accounts", new JsonObject { ["api_key"] = "wrong", ["pod"] = "na1" }, expect: 422);
        await check.Async("DELETE", "/integrated-accounts/{id}", $"integrated-accounts/{id}");
        await check.Async("GET", "/integrated-accounts/{id}", $"integrated-accounts/{id}", expect: 404);
    }

    /// <summary>Sends requests and checks each answer against the document: its status is documented, its body matches.</summary>
    private sealed class Checker(HttpClient api, JsonObject document)
    {
        public async Task<JsonObject> Async(string method, string template, string url, JsonObject? body = null, int? expect = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await api.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var operation = document["paths"]![template]?[method.ToLowerInvariant()]
                ?? throw new Xunit.Sdk.XunitException($"The document has no operation {method} {template}.");
            Assert.True(expect is null ? status < 300 : status == expect, $"{method} /api/{url} answered {status}: {text}");

            var documented = operation["responses"]![status.ToString(CultureInfo.InvariantCulture)]
                ?? throw new Xunit.Sdk.XunitException($"{method} {template} answered {status}, which the document does not list: {text}");
            var schema = Resolve(documented)["content"]!["application/json"]!["schema"]!;
            var answer = JsonNode.Parse(text);
            var problems = new List<string>();
            Validate(answer, schema, "$", problems);
            Assert.True(problems.Count == 0, $"{method} /api/{url} ({status}) does not match the document:\n{string.Join("\n", problems)}\n{text}");
            return answer as JsonObject ?? [];
        }

        private JsonNode Resolve(JsonNode node)
        {
            while (node["$ref"] is { } reference)
            {
                node = reference.GetValue<string>()[2..].Split('/').Aggregate((JsonNode)document, (current, token) => current[token]!);
            }

            return node;
        }

        /// <summary>
        /// The JSON Schema keywords the document uses, strictly: an object whose schema lists properties may hold
        /// no others, so anything the API answers and the document leaves out is caught too.
        /// </summary>
        private void Validate(JsonNode? value, JsonNode schemaNode, string at, List<string> problems)
        {
            var schema = Resolve(schemaNode).AsObject();
            var kind = KindOf(value);
            if (schema["type"] is { } type)
            {
                var allowed = type is JsonArray types ? types.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
                if (!allowed.Contains(kind) && !(kind == "integer" && allowed.Contains("number")))
                {
                    problems.Add($"{at}: {kind}, documented as {string.Join(" or ", allowed)}");
                    return;
                }
            }

            if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
            {
                problems.Add($"{at}: {value?.ToJsonString() ?? "null"} is not one of {values.ToJsonString()}");
            }

            if (schema["const"] is { } constant && !JsonNode.DeepEquals(constant, value))
            {
                problems.Add($"{at}: {value?.ToJsonString()} is not {constant.ToJsonString()}");
            }

            if (value is JsonValue && schema["format"]?.GetValue<string>() is { } format && value.GetValueKind() == JsonValueKind.String)
            {
                var text = value.GetValue<string>();
                var ok = format switch
                {
                    "date-time" => DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                    "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                    _ => true,
                };
                if (!ok)
                {
                    problems.Add($"{at}: '{text}' is not a {format}");
                }
            }

            if (value is JsonObject obj)
            {
                var properties = schema["properties"] as JsonObject;
                foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                {
                    if (!obj.ContainsKey(required))
                    {
                        problems.Add($"{at}: lacks required '{required}'");
                    }
                }

                foreach (var (name, property) in obj)
                {
                    if (properties?[name] is { } propertySchema)
                    {
                        Validate(property, propertySchema, $"{at}.{name}", problems);
                    }
                    else if (properties is not null)
                    {
                        problems.Add($"{at}: '{name}' is not in the document");
                    }
                }
            }

            if (value is JsonArray array && schema["items"] is { } items)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(array[i], items, $"{at}[{i}]", problems);
                }
            }
        }

        private static string KindOf(JsonNode? value) => value?.GetValueKind() switch
        {
            null or JsonValueKind.Null => "null",
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => value.AsValue().TryGetValue<long>(out _) || (value.AsValue().TryGetValue<decimal>(out var d) && d == decimal.Truncate(d)) ? "integer" : "number",
            _ => "unknown",
        };
    }
}
