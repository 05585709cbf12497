using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.OpenApi;
using Insightly.Unified.Unified.Resources;

namespace Insightly.Unified.UnitTests;

/// <summary>
/// The OpenAPI document: the committed copy is exactly what the code generates, and its paths and methods are
/// exactly the HTTP functions the Functions host indexes (functions.metadata), anonymous where they are.
/// </summary>
public sealed class OpenApiDocumentTests
{
    /// <summary>Set to 1 to rewrite docs/openapi.json from the code instead of comparing with it.</summary>
    public const string UpdateVariable = "UPDATE_OPENAPI";

    private const string Refresh = UpdateVariable + "=1 dotnet test tests/Insightly.Unified.UnitTests --filter OpenApiDocumentTests";

    private static readonly string[] OperationKeys = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private static readonly JsonObject Document = OpenApiDocument.Build();

    [Fact]
    public void The_committed_document_is_the_one_the_code_generates()
    {
        var path = typeof(OpenApiDocumentTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "OpenApiDocumentPath").Value!;
        var generated = Encoding.UTF8.GetString(OpenApiDocument.Utf8);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, generated, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        Assert.True(File.Exists(path), $"docs/openapi.json is missing. Create it from the code with: {Refresh}");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (committed == generated)
        {
            return;
        }

        var (committedLines, generatedLines) = (committed.Split('\n'), generated.Split('\n'));
        var line = Enumerable.Range(0, Math.Max(committedLines.Length, generatedLines.Length))
            .First(i => i >= committedLines.Length || i >= generatedLines.Length || committedLines[i] != generatedLines[i]);
        Assert.Fail(
            $"docs/openapi.json differs from the document the code generates, first at line {line + 1}:\n" +
            $"  committed: {(line < committedLines.Length ? committedLines[line].Trim() : "(end of file)")}\n" +
            $"  generated: {(line < generatedLines.Length ? generatedLines[line].Trim() : "(end of file)")}\n" +
            $"If the change is intended, refresh the file and commit it: {Refresh}");
    }

    [Fact]
    public void Generating_twice_gives_the_same_bytes() =>
        Assert.Equal(OpenApiDocument.Serialize(OpenApiDocument.Build()), OpenApiDocument.Utf8);

    [Fact]
    public void Is_an_openapi_3_1_document_served_below_api()
    {
        Assert.Equal("3.1.0", Document["openapi"]!.GetValue<string>());
        Assert.Equal("/api", Document["servers"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void Every_route_of_the_host_is_a_path_with_exactly_its_methods_and_the_document_has_no_other()
    {
        var served = FunctionsMetadata.HttpRoutes()
            .Where(route => !route.IsCatchAll)
            // OpenAPI has no catch-all parameter: the proxy's {*path} is documented as {path}.
            .SelectMany(route => route.Methods.Select(method => $"{method} /{route.Template.Replace("{*", "{", StringComparison.Ordinal)}"))
            .Order(StringComparer.Ordinal);
        var documented = Operations().Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}").Order(StringComparer.Ordinal);

        Assert.Equal(served, documented);
    }

    [Fact]
    public void Exactly_the_anonymous_functions_are_documented_without_security()
    {
        var anonymous = FunctionsMetadata.Functions
            .Select(f => f["bindings"]!.AsArray().SingleOrDefault(b => b!["type"]!.GetValue<string>() == "httpTrigger"))
            .Where(t => t is not null && t["authLevel"]!.GetValue<string>() == "Anonymous")
            .SelectMany(t => t!["methods"]!.AsArray().Select(m => $"{m!.GetValue<string>().ToUpperInvariant()} /{t["route"]!.GetValue<string>()}"))
            .Order(StringComparer.Ordinal);
        var open = Operations()
            .Where(o => o.Operation["security"] is JsonArray { Count: 0 })
            .Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(anonymous, open);
        Assert.Equal(["GET /health", "GET /link", "GET /openapi.json", "POST /link"], open);
        Assert.Equal(2, Document["security"]!.AsArray().Count);
    }

    [Fact]
    public void Operation_ids_are_unique_camel_case_names()
    {
        var ids = Operations().Select(o => o.Operation["operationId"]!.GetValue<string>()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z][A-Za-z]+$", id));
        Assert.Contains("listCrmContacts", ids);
        Assert.Contains("getUserDirectoryUser", ids);
        Assert.Contains("linkIntegratedAccount", ids);
    }

    [Fact]
    public void Every_reference_resolves_within_the_document()
    {
        var references = References(Document).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            Assert.StartsWith("#/", reference);
            JsonNode? node = Document;
            foreach (var token in reference[2..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")))
            {
                node = node?[token];
            }

            Assert.True(node is not null, $"{reference} does not resolve.");
        });
    }

    [Fact]
    public void The_error_schema_lists_every_error_code()
    {
        var codes = typeof(ErrorCodes).GetFields().Select(f => (string)f.GetRawConstantValue()!).Order();
        var documented = Schema("Error")["properties"]!["error"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order();

        Assert.Equal(codes, documented);
        Assert.Equal(["error", "message", "status_code"], Schema("Error")["required"]!.AsArray().Select(v => v!.GetValue<string>()).Order());
    }

    public static TheoryData<string> Resources => new(CrmResources.All.Select(r => r.Route));

    [Theory]
    [MemberData(nameof(Resources))]
    public void A_resource_schema_holds_its_descriptors_fields_and_its_list_takes_its_filters(string route)
    {
        var resource = CrmResources.All.Single(r => r.Route == route);
        var list = Document["paths"]!["/" + route]!["get"]!;
        var page = ((JsonObject)list["responses"]!["200"]!["content"]!["application/json"]!["schema"]!).Ref().Split('/')[^1];
        var schema = Schema(page[..^"List".Length]);

        var expected = resource.UnifiedFields.Where(f => !f.IsCreateOnly).Select(f => f.Name)
            .Concat(resource.HasCustomFields ? ["custom_fields"] : [])
            .Append("remote_data");
        Assert.Equal(expected.Order(), schema["properties"]!.AsObject().Select(p => p.Key).Order());
        var parameters = list["parameters"]!.AsArray().Select(p => Resolve(p!)["name"]!.GetValue<string>()).ToList();
        Assert.All(resource.Filters, filter => Assert.Contains(filter.Name, parameters));
        Assert.Equal(resource.Searchable, parameters.Contains("remote_query"));
        Assert.Equal(resource.HasTimestamps && resource.Searchable, parameters.Contains("updated_after"));
    }

    [Fact]
    public void Write_bodies_take_only_editable_fields_and_a_create_requires_what_the_descriptor_requires()
    {
        var create = Schema("CrmOpportunityCreateRequest");
        var update = Schema("CrmOpportunityUpdateRequest");

        Assert.Equal(["name"], create["required"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("string", create["properties"]!["name"]!["type"]!.GetValue<string>());
        Assert.False(create["additionalProperties"]!.GetValue<bool>());
        Assert.Null(create["properties"]!["id"]);
        Assert.Null(create["properties"]!["last_activity_at"]);
        Assert.NotNull(create["properties"]!["custom_fields"]);
        Assert.NotNull(create["properties"]!["remote_data"]);
        Assert.Null(update["required"]);
        Assert.Equal(1, update["minProperties"]!.GetValue<int>());
        Assert.Null(Document["components"]!["schemas"]!["CrmUserCreateRequest"]);
    }

    [Fact]
    public void A_note_names_exactly_one_parent_on_create_only()
    {
        var create = Schema("CrmNoteCreateRequest");
        var parents = create["oneOf"]!.AsArray().Select(rule => rule!["required"]![0]!.GetValue<string>());

        Assert.Equal(["contact", "account", "lead", "opportunity", "project"], parents);
        Assert.All(parents, parent => Assert.NotNull(create["properties"]![parent]));
        Assert.Null(Schema("CrmNoteUpdateRequest")["properties"]!["contact"]);
        Assert.Null(Schema("CrmNote")["properties"]!["contact"]);
        Assert.Null(create["properties"]!["custom_fields"]);
    }

    [Fact]
    public void Writes_document_the_contract_statuses_and_a_429_says_when_to_retry()
    {
        var create = Document["paths"]!["/unified/crm/contacts"]!["post"]!["responses"]!.AsObject();

        Assert.Equal(["201", "400", "401", "403", "404", "409", "413", "415", "422", "429", "500", "502", "503", "504"], create.Select(r => r.Key));
        Assert.NotNull(Resolve(create["429"]!)["headers"]!["Retry-After"]);
        Assert.NotNull(create["201"]!["headers"]!["Idempotent-Replayed"]);
        Assert.All(create.Where(r => r.Key != "201"),
            r => Assert.Equal("#/components/schemas/Error", ((JsonObject)Resolve(r.Value!)["content"]!["application/json"]!["schema"]!).Ref()));
    }

    [Fact]
    public void A_contacts_context_is_documented_as_the_unified_objects_of_its_sections_with_its_call_budget()
    {
        var operation = Document["paths"]!["/unified/crm/contacts/{id}/context"]!["get"]!;
        var schema = Schema("CrmContactContext");

        Assert.Equal("#/components/schemas/CrmContactContext", ((JsonObject)operation["responses"]!["200"]!["content"]!["application/json"]!["schema"]!).Ref());
        Assert.Equal("#/components/schemas/CrmContact", ((JsonObject)schema["properties"]!["contact"]!).Ref());
        Assert.Equal(
            ["CrmOpportunity", "CrmProject", "CrmTask", "CrmNote"],
            new[] { "opportunities", "projects", "tasks", "notes" }.Select(s => ((JsonObject)schema["properties"]![s]!["items"]!).Ref().Split('/')[^1]));
        Assert.Contains("at most 56", operation["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        Document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(entry => OperationKeys.Contains(entry.Key))
            .Select(entry => (path.Key, entry.Key, entry.Value!.AsObject())));

    private static JsonObject Schema(string name) =>
        Document["components"]!["schemas"]![name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"No schema {name}");

    private static JsonObject Resolve(JsonNode node) =>
        node["$ref"] is { } reference
            ? Document["components"]![reference.GetValue<string>().Split('/')[2]]![reference.GetValue<string>().Split('/')[3]]!.AsObject()
            : node.AsObject();

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };
}

internal static class OpenApiNodes
{
    /// <summary>The <c>$ref</c> of a reference object.</summary>
    public static string Ref(this JsonObject node) => node["$ref"]!.GetValue<string>();
}
