using Insightly.Unified.Functions.Hosting;
using Insightly.Unified.Functions.Platform;

namespace Insightly.Unified.UnitTests;

/// <summary>
/// Replays the contract's requests against <c>functions.metadata</c> under the Functions host's routing rule
/// (function-name order, first match of template and method wins) and checks which function answers each.
/// Both orders the host could sort names in are tried, so the outcome never depends on which one Azure uses.
/// </summary>
public sealed class HostRoutingTests
{
    private const string CatchAll = UnknownRouteFunction.Name;

    /// <summary>Method, path below <c>/api</c>, the function that must answer.</summary>
    public static TheoryData<string, string, string> Requests => new()
    {
        { "GET", "health", "Health" },
        { "GET", "openapi.json", "OpenApiDocument" },
        { "GET", "OpenAPI.json", "OpenApiDocument" },
        { "POST", "integrated-accounts", "LinkAccount" },
        { "GET", "integrated-accounts", "ListAccounts" },
        { "GET", "integrated-accounts/", "ListAccounts" },
        { "GET", "Integrated-Accounts", "ListAccounts" },
        { "GET", "integrated-accounts/ia-abc", "GetAccount" },
        { "PATCH", "integrated-accounts/ia-abc", "UpdateAccount" },
        { "DELETE", "integrated-accounts/ia-abc", "DeleteAccount" },
        { "POST", "integrated-accounts/ia-abc/validate", "ValidateAccount" },
        { "GET", "unified/crm/accounts", "CrmAccounts" },
        { "POST", "unified/crm/accounts", "CrmAccounts" },
        { "GET", "unified/crm/accounts/101", "CrmAccountsById" },
        { "PATCH", "unified/crm/accounts/101", "CrmAccountsById" },
        { "DELETE", "unified/crm/accounts/101", "CrmAccountsById" },
        { "GET", "unified/crm/contacts", "CrmContacts" },
        { "POST", "unified/crm/contacts", "CrmContacts" },
        { "GET", "unified/crm/contacts/101", "CrmContactsById" },
        { "PATCH", "unified/crm/contacts/101", "CrmContactsById" },
        { "DELETE", "unified/crm/contacts/101", "CrmContactsById" },
        { "GET", "unified/crm/contacts/101/context", "CrmContactContext" },
        { "GET", "Unified/CRM/Contacts/101/Context", "CrmContactContext" },
        { "GET", "unified/crm/contacts/context/context", "CrmContactContext" },
        { "GET", "unified/crm/contacts/context", "CrmContactsById" },
        { "GET", "unified/crm/leads", "CrmLeads" },
        { "POST", "unified/crm/leads", "CrmLeads" },
        { "PATCH", "unified/crm/leads/7", "CrmLeadsById" },
        { "GET", "unified/crm/opportunities", "CrmOpportunities" },
        { "POST", "unified/crm/opportunities", "CrmOpportunities" },
        { "PATCH", "unified/crm/opportunities/7", "CrmOpportunitiesById" },
        { "DELETE", "unified/crm/opportunities/7", "CrmOpportunitiesById" },
        { "GET", "unified/crm/notes", "CrmNotes" },
        { "POST", "unified/crm/notes", "CrmNotes" },
        { "GET", "unified/crm/notes/7", "CrmNotesById" },
        { "GET", "unified/crm/tasks", "CrmTasks" },
        { "POST", "unified/crm/tasks", "CrmTasks" },
        { "DELETE", "unified/crm/tasks/7", "CrmTasksById" },
        { "GET", "unified/crm/projects", "CrmProjects" },
        { "PATCH", "unified/crm/projects/7", "CrmProjectsById" },
        { "GET", "unified/crm/users", "CrmUsers" },
        { "GET", "unified/crm/users/1001", "CrmUsersById" },
        { "GET", "unified/crm/pipelines", "CrmPipelines" },
        { "GET", "unified/crm/pipelines/9", "CrmPipelinesById" },
        { "GET", "unified/crm/stages", "CrmStages" },
        { "GET", "unified/crm/stages/9", "CrmStagesById" },
        { "GET", "unified/crm/fields", "CrmFields" },
        { "GET", "unified/user-directory/users", "DirectoryUsers" },
        { "GET", "unified/user-directory/users/1001", "DirectoryUsersById" },
        { "GET", "Unified/CRM/Contacts", "CrmContacts" },
        { "POST", "link-tokens", "IssueLinkToken" },
        { "GET", "link", "ShowLinkPage" },
        { "GET", "Link", "ShowLinkPage" },
        { "POST", "link", "SubmitLinkPage" },
        { "POST", "link/", "SubmitLinkPage" },
        // Wrong verbs reach the catch-all, which answers 405 with Allow.
        { "PUT", "integrated-accounts/ia-abc", CatchAll },
        { "DELETE", "integrated-accounts", CatchAll },
        { "GET", "integrated-accounts/ia-abc/validate", CatchAll },
        { "POST", "health", CatchAll },
        { "HEAD", "health", CatchAll },
        { "POST", "openapi.json", CatchAll },
        { "POST", "unified/crm/users", CatchAll },
        { "PATCH", "unified/crm/users/1001", CatchAll },
        { "POST", "unified/crm/contacts/101", CatchAll },
        { "PUT", "unified/crm/contacts/101", CatchAll },
        { "POST", "unified/crm/contacts/101/context", CatchAll },
        { "PATCH", "unified/crm/contacts/101/context", CatchAll },
        { "DELETE", "unified/crm/contacts/101/context", CatchAll },
        { "PATCH", "unified/crm/contacts", CatchAll },
        { "DELETE", "unified/crm/stages/9", CatchAll },
        { "POST", "unified/crm/fields", CatchAll },
        { "GET", "unified/crm/fields/first_name", CatchAll },
        { "POST", "unified/user-directory/users", CatchAll },
        { "GET", "link-tokens", CatchAll },
        { "DELETE", "link-tokens", CatchAll },
        { "PUT", "link", CatchAll },
        { "HEAD", "link", CatchAll },
        { "DELETE", "link", CatchAll },
        // Unknown paths reach the catch-all, which answers 404 unknown_resource.
        { "GET", "", CatchAll },
        { "GET", "nothing/here", CatchAll },
        { "GET", "openapi.yaml", CatchAll },
        { "GET", "openapi.json/extra", CatchAll },
        { "POST", "integrated-accounts/ia-abc/validate/extra", CatchAll },
        { "GET", "unified/crm/widgets", CatchAll },
        { "GET", "unified/crm", CatchAll },
        { "GET", "unified/crm/contacts/101/notes", CatchAll },
        { "GET", "unified/crm/contacts/101/context/extra", CatchAll },
        { "GET", "unified/crm/contacts/101/contexts", CatchAll },
        { "GET", "unified/crm/accounts/101/context", CatchAll },
        { "GET", "unified/user-directory/groups", CatchAll },
        { "POST", "link-token", CatchAll },
        { "POST", "link-tokens/lt_abc", CatchAll },
        { "GET", "links", CatchAll },
        { "GET", "link/lt_abc", CatchAll },
        { "POST", "link/tokens", CatchAll },
        { "POST", "linktokens", CatchAll },
        // The passthrough proxy takes every path below proxy/ with its five methods; other verbs get 405 with Allow.
        { "GET", "proxy/Contacts", "Proxy" },
        { "GET", "proxy/Users/Me", "Proxy" },
        { "GET", "Proxy/Contacts/101/Notes", "Proxy" },
        { "POST", "proxy/Organisations", "Proxy" },
        { "PUT", "proxy/Organisations", "Proxy" },
        { "PATCH", "proxy/Organisations", "Proxy" },
        { "DELETE", "proxy/Contacts/101", "Proxy" },
        { "GET", "proxy", "Proxy" },
        { "HEAD", "proxy/Contacts", CatchAll },
        { "OPTIONS", "proxy/Contacts", CatchAll },
        { "GET", "proxies/Contacts", CatchAll },
        { "GET", "api/proxy/Contacts", CatchAll },
        // Webhook subscriptions: four routes that can never take each other's requests.
        { "POST", "webhooks", "CreateWebhook" },
        { "GET", "webhooks", "ListWebhooks" },
        { "GET", "Webhooks/", "ListWebhooks" },
        { "GET", "webhooks/wh-abc", "GetWebhook" },
        { "PATCH", "webhooks/wh-abc", "UpdateWebhook" },
        { "DELETE", "webhooks/wh-abc", "DeleteWebhook" },
        { "GET", "webhooks/rotate-secret", "GetWebhook" },
        { "GET", "webhooks/test", "GetWebhook" },
        { "POST", "webhooks/wh-abc/rotate-secret", "RotateWebhookSecret" },
        { "POST", "Webhooks/wh-abc/Rotate-Secret", "RotateWebhookSecret" },
        { "POST", "webhooks/wh-abc/test", "TestWebhook" },
        { "POST", "webhooks/test/test", "TestWebhook" },
        { "POST", "webhooks/rotate-secret/rotate-secret", "RotateWebhookSecret" },
        { "PUT", "webhooks", CatchAll },
        { "DELETE", "webhooks", CatchAll },
        { "PATCH", "webhooks", CatchAll },
        { "POST", "webhooks/wh-abc", CatchAll },
        { "PUT", "webhooks/wh-abc", CatchAll },
        { "GET", "webhooks/wh-abc/rotate-secret", CatchAll },
        { "DELETE", "webhooks/wh-abc/rotate-secret", CatchAll },
        { "GET", "webhooks/wh-abc/test", CatchAll },
        { "PATCH", "webhooks/wh-abc/test", CatchAll },
        { "POST", "webhook", CatchAll },
        { "GET", "webhook/wh-abc", CatchAll },
        { "POST", "webhooks/wh-abc/rotate", CatchAll },
        { "POST", "webhooks/wh-abc/rotate-secrets", CatchAll },
        { "POST", "webhooks/wh-abc/tests", CatchAll },
        { "POST", "webhooks/wh-abc/test/extra", CatchAll },
        { "POST", "webhooks/wh-abc/rotate-secret/test", CatchAll },
        { "GET", "webhooks/wh-abc/deliveries", CatchAll },
        { "POST", "webhooks/wh-abc/validate", CatchAll },
        { "POST", "integrated-accounts/ia-abc/test", CatchAll },
    };

    public static TheoryData<string> NameOrders => new() { "ordinal", "case-insensitive" };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Each_request_reaches_the_intended_function_in_either_name_order(string method, string path, string function)
    {
        Assert.Equal(function, Router(StringComparer.Ordinal).Match(method, path)?.Route.FunctionName);
        Assert.Equal(function, Router(StringComparer.OrdinalIgnoreCase).Match(method, path)?.Route.FunctionName);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void No_two_functions_besides_the_catch_all_can_take_the_same_request(string method, string path, string function)
    {
        var takers = FunctionsMetadata.HttpRoutes()
            .Where(route => route.FunctionName != CatchAll)
            .Where(route => new HostRouter([route]).Match(method, path) is not null)
            .Select(route => route.FunctionName)
            .ToList();
        Assert.True(takers.Count <= 1, $"{method} /api/{path} matches {string.Join(", ", takers)}: the outcome would depend on name order.");
        Assert.Equal(function == CatchAll ? [] : [function], takers);
    }

    [Theory]
    [MemberData(nameof(NameOrders))]
    public void The_catch_all_sorts_after_every_other_function(string order)
    {
        var router = Router(order == "ordinal" ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        Assert.Equal(CatchAll, router.Routes.Last().FunctionName);
        Assert.Single(router.Routes, route => route.IsCatchAll);
    }

    [Fact]
    public void The_local_host_routes_from_the_same_functions_routes_and_methods_as_the_metadata()
    {
        var fromAttributes = new FunctionCatalog().HttpFunctions
            .Select(f => $"{f.Name} {f.Route} {string.Join(',', f.HttpMethods.Order())}").Order();
        var fromMetadata = FunctionsMetadata.HttpRoutes()
            .Select(r => $"{r.FunctionName} {r.Template} {string.Join(',', r.Methods.Order())}").Order();
        Assert.Equal(fromMetadata, fromAttributes);
    }

    [Fact]
    public void A_literal_route_gets_no_precedence_over_an_earlier_named_parameter_route()
    {
        // The behaviour the host has and ASP.NET Core endpoint routing does not (azure-functions-host #9876).
        var router = new HostRouter([new HostRoute("Details", "products/{id}", ["GET"]), new HostRoute("List", "products/list", ["GET"])]);
        Assert.Equal("Details", router.Match("GET", "products/list")!.Route.FunctionName);
    }

    [Fact]
    public void A_route_with_an_inline_constraint_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => new HostRouter([new HostRoute("Item", "items/{id:int}", ["GET"])]));

    private static HostRouter Router(StringComparer order) => new(FunctionsMetadata.HttpRoutes(), order);
}
