using System.Text.Json.Nodes;
using Insightly.Unified.Unified.Resources;

namespace Insightly.Unified.UnitTests;

/// <summary>
/// Reads the functions.metadata the Functions SDK generates — what the real Functions host indexes —
/// and checks every function, route, method set and auth level against the contract.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string[] AllMethods = ["get", "post", "put", "patch", "delete", "head", "options"];

    public static TheoryData<string, string, string[], string> HttpFunctions => new()
    {
        { "Health", "health", ["get"], "Anonymous" },
        { "OpenApiDocument", "openapi.json", ["get"], "Anonymous" },
        { "LinkAccount", "integrated-accounts", ["post"], "Function" },
        { "ListAccounts", "integrated-accounts", ["get"], "Function" },
        { "GetAccount", "integrated-accounts/{id}", ["get"], "Function" },
        { "UpdateAccount", "integrated-accounts/{id}", ["patch"], "Function" },
        { "DeleteAccount", "integrated-accounts/{id}", ["delete"], "Function" },
        { "ValidateAccount", "integrated-accounts/{id}/validate", ["post"], "Function" },
        { "CrmAccounts", "unified/crm/accounts", ["get", "post"], "Function" },
        { "CrmAccountsById", "unified/crm/accounts/{id}", ["get", "patch", "delete"], "Function" },
        { "CrmContacts", "unified/crm/contacts", ["get", "post"], "Function" },
        { "CrmContactsById", "unified/crm/contacts/{id}", ["get", "patch", "delete"], "Function" },
        { "CrmContactContext", "unified/crm/contacts/{id}/context", ["get"], "Function" },
        { "CrmLeads", "unified/crm/leads", ["get", "post"], "Function" },
        { "CrmLeadsById", "unified/crm/leads/{id}", ["get", "patch", "delete"], "Function" },
        { "CrmOpportunities", "unified/crm/opportunities", ["get", "post"], "Function" },
        { "CrmOpportunitiesById", "unified/crm/opportunities/{id}", ["get", "patch", "delete"], "Function" },
        { "CrmNotes", "unified/crm/notes", ["get", "post"], "Function" },
        { "CrmNotesById", "unified/crm/notes/{id}", ["get", "patch", "delete"], "Function" },
        { "CrmTasks", "unified/crm/tasks", ["get", "post"], "Function" },
        { "CrmTasksById", "unified/crm/tasks/{id}", ["get", "patch", "delete"], "Function" },
        { "CrmProjects", "unified/crm/projects", ["get", "post"], "Function" },
        { "CrmProjectsById", "unified/crm/projects/{id}", ["get", "patch", "delete"], "Function" },
        { "CrmUsers", "unified/crm/users", ["get"], "Function" },
        { "CrmUsersById", "unified/crm/users/{id}", ["get"], "Function" },
        { "CrmPipelines", "unified/crm/pipelines", ["get"], "Function" },
        { "CrmPipelinesById", "unified/crm/pipelines/{id}", ["get"], "Function" },
        { "CrmStages", "unified/crm/stages", ["get"], "Function" },
        { "CrmStagesById", "unified/crm/stages/{id}", ["get"], "Function" },
        { "CrmFields", "unified/crm/fields", ["get"], "Function" },
        { "DirectoryUsers", "unified/user-directory/users", ["get"], "Function" },
        { "DirectoryUsersById", "unified/user-directory/users/{id}", ["get"], "Function" },
        { "IssueLinkToken", "link-tokens", ["post"], "Function" },
        { "ShowLinkPage", "link", ["get"], "Anonymous" },
        { "SubmitLinkPage", "link", ["post"], "Anonymous" },
        { "Proxy", "proxy/{*path}", ["get", "post", "put", "patch", "delete"], "Function" },
        { "CreateWebhook", "webhooks", ["post"], "Function" },
        { "ListWebhooks", "webhooks", ["get"], "Function" },
        { "GetWebhook", "webhooks/{id}", ["get"], "Function" },
        { "UpdateWebhook", "webhooks/{id}", ["patch"], "Function" },
        { "DeleteWebhook", "webhooks/{id}", ["delete"], "Function" },
        { "RotateWebhookSecret", "webhooks/{id}/rotate-secret", ["post"], "Function" },
        { "TestWebhook", "webhooks/{id}/test", ["post"], "Function" },
        { "ZzUnknownRoute", "{*path}", AllMethods, "Function" },
    };

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void The_host_indexes_each_http_function_with_its_route_methods_and_auth_level(
        string name, string route, string[] methods, string authLevel)
    {
        var trigger = Trigger(name, "httpTrigger");
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(methods.Order(), trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()).Order());
        Assert.Equal(authLevel, trigger["authLevel"]!.GetValue<string>());
    }

    [Fact]
    public void The_credential_check_runs_on_the_configured_schedule() =>
        Assert.Equal("%CREDENTIAL_CHECK_SCHEDULE%", Trigger("CredentialCheck", "timerTrigger")["schedule"]!.GetValue<string>());

    public static TheoryData<string, string> QueueFunctions => new()
    {
        { "WebhookFanOut", "%WEBHOOK_EVENTS_QUEUE%" },
        { "WebhookDelivery", "%WEBHOOK_DELIVERIES_QUEUE%" },
    };

    /// <summary>Queue names come from app settings (Bicep and local.settings.sample.json set them), so tests can give each run its own queues.</summary>
    [Theory]
    [MemberData(nameof(QueueFunctions))]
    public void Each_queue_function_listens_to_its_queue_setting_on_the_host_storage(string name, string queue)
    {
        var trigger = Trigger(name, "queueTrigger");
        Assert.Equal(queue, trigger["queueName"]!.GetValue<string>());
        Assert.Null(trigger["connection"]);
        Assert.Equal("In", trigger["direction"]!.GetValue<string>());
    }

    [Fact]
    public void No_function_exists_that_these_tests_do_not_know_about()
    {
        var expected = HttpFunctions.Select(row => (string)row[0]).Append("CredentialCheck")
            .Concat(QueueFunctions.Select(row => (string)row[0])).Order();
        Assert.Equal(expected, Metadata().Select(f => f!["name"]!.GetValue<string>()).Order());
    }

    /// <summary>The contract (section 1) lets health, the OpenAPI document and the link page be anonymous; nothing else.</summary>
    [Fact]
    public void Only_health_the_openapi_document_and_the_link_page_are_anonymous()
    {
        var anonymous = Metadata()
            .Where(f => f!["bindings"]!.AsArray().Any(b => b!["authLevel"]?.GetValue<string>() == "Anonymous"))
            .Select(f => f!["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!["route"]!.GetValue<string>())
            .Distinct()
            .ToList();
        Assert.Equal(["health", "link", "openapi.json"], anonymous.Order());
    }

    public static TheoryData<string> UnifiedResources => new(CrmResources.All.Select(r => r.Route));

    [Theory]
    [MemberData(nameof(UnifiedResources))]
    public void Each_unified_resource_is_triggered_by_exactly_the_verbs_its_descriptor_allows(string route)
    {
        var resource = CrmResources.All.Single(r => r.Route == route);
        var routes = FunctionsMetadata.HttpRoutes();

        Assert.Equal(resource.CollectionMethods.Order(), routes.Single(r => r.Template == route).Methods.Order());
        Assert.Equal(resource.ItemMethods.Order(), routes.Single(r => r.Template == route + "/{id}").Methods.Order());
    }

    private static JsonObject Trigger(string function, string type) => FunctionsMetadata.Trigger(function, type);

    private static IEnumerable<JsonObject> Metadata() => FunctionsMetadata.Functions;
}
