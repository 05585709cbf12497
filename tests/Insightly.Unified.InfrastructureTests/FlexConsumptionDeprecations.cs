using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Insightly.Unified.InfrastructureTests;

/// <summary>
/// Site properties and app settings that a Flex Consumption app must not set, and a scan of a compiled
/// template for them. Newer regional clusters (West Europe among them) refuse a site that sets such a
/// property with BadRequest 51021, "The following site configuration property (Site.SiteConfig.…) for
/// Flex Consumption sites is invalid", so a template that compiles can still fail to deploy.
/// </summary>
public static class FlexConsumptionDeprecations
{
    // Source: Microsoft Learn, "App settings reference for Azure Functions", section "Flex Consumption plan
    // deprecations" (https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations),
    // as of the 2025-12-22 revision of the article. The table names site properties as properties.<name> or
    // properties.siteConfig.<name> without being consistent about which; the scan looks for every one of
    // them both on the site's properties and in its siteConfig. ARM property names ignore case.
    private static readonly string[] DocumentedSiteProperties =
    [
        "alwaysOn",
        "containerSize",
        "dnsConfiguration",
        "ftpsState",
        "functionAppScaleLimit",
        "isReserved",
        "isXenon",
        "javaVersion",
        "linuxFxVersion",
        "netFrameworkVersion",
        "powerShellVersion",
        "preWarmedInstanceCount",
        "use32BitWorkerProcess",
        "vnetBackupRestoreEnabled",
        "vnetContentShareEnabled",
        "vnetImagePullEnabled",
        "vnetRouteAllEnabled",
        "windowsFxVersion",
    ];

    // Not in that table, but named by ARM itself in the same 51021 rejection, next to FtpsState,
    // Use32BitWorkerProcess and NetFrameworkVersion: "The following list of 4 site configuration properties
    // (Site.SiteConfig.FtpsState, Site.SiteConfig.Use32BitWorkerProcess, Site.SiteConfig.NetFrameworkVersion,
    // Site.SiteConfig.FunctionsRuntimeScaleMonitoringEnabled) for Flex Consumption sites is invalid"
    // (reported from West Europe in https://github.com/microsoft/azure-pipelines-tasks/issues/21032).
    private static readonly string[] RejectedSiteProperties = ["functionsRuntimeScaleMonitoringEnabled"];

    // Source: the same "Flex Consumption plan deprecations" table, its app settings.
    private static readonly string[] DocumentedAppSettings =
    [
        "ENABLE_ORYX_BUILD",
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_MAX_HTTP_CONCURRENCY",
        "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
        "FUNCTIONS_WORKER_PROCESS_COUNT",
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTOVERVNET",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_DNS_SERVER",
        "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
        "WEBSITE_NODE_DEFAULT_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
        "WEBSITE_VNET_ROUTE_ALL",
    ];

    public static IReadOnlySet<string> SiteProperties { get; } =
        new HashSet<string>(DocumentedSiteProperties.Concat(RejectedSiteProperties), StringComparer.OrdinalIgnoreCase);

    public static IReadOnlySet<string> AppSettings { get; } = new HashSet<string>(DocumentedAppSettings, StringComparer.OrdinalIgnoreCase);

    /// <summary>What a scan looked at and what it found.</summary>
    /// <param name="Findings">One line per deprecated property or setting: the resource, then where in it.</param>
    /// <param name="Sites">Microsoft.Web/sites resources scanned.</param>
    /// <param name="AppSettingSources">App settings collections scanned (appsettings configs and siteConfig.appSettings).</param>
    public sealed record Scan(IReadOnlyList<string> Findings, int Sites, int AppSettingSources);

    /// <summary>
    /// Every Microsoft.Web/sites resource's properties and properties.siteConfig, every web config
    /// (Microsoft.Web/sites/config named 'web', which is siteConfig), and every app setting the template
    /// sets, through an appsettings config or siteConfig.appSettings, in the template and its modules.
    /// </summary>
    public static Scan Find(ArmTemplate template)
    {
        var findings = new List<string>();
        var sites = 0;
        var appSettingSources = 0;

        foreach (var resource in template.AllResources)
        {
            var type = resource.Str("type");
            var where = $"{type} {resource.Str("name")}";
            var properties = resource["properties"];

            if (type.Equals("Microsoft.Web/sites", StringComparison.OrdinalIgnoreCase))
            {
                sites++;
                findings.AddRange(Names(properties, SiteProperties, $"{where} properties"));
                ScanSiteConfig(properties?["siteConfig"], $"{where} properties.siteConfig");
            }
            else if (type.Equals("Microsoft.Web/sites/config", StringComparison.OrdinalIgnoreCase))
            {
                switch (ConfigName(resource.Str("name")).ToLowerInvariant())
                {
                    case "appsettings":
                        appSettingSources++;
                        findings.AddRange(Names(properties, AppSettings, $"{where} properties"));
                        break;
                    case "web":
                        ScanSiteConfig(properties, $"{where} properties");
                        break;
                }
            }
        }

        return new Scan(findings, sites, appSettingSources);

        void ScanSiteConfig(JsonNode? siteConfig, string path)
        {
            findings.AddRange(Names(siteConfig, SiteProperties, path));
            switch (siteConfig)
            {
                case JsonObject config when config["appSettings"] is JsonArray settings:
                    appSettingSources++;
                    findings.AddRange(settings.OfType<JsonObject>()
                        .Select(setting => setting["name"]?.GetValue<string>() ?? "")
                        .Where(AppSettings.Contains)
                        .Select(name => $"{path}.appSettings {name}"));
                    break;
                case JsonObject config when config["appSettings"] is JsonValue expression:
                    appSettingSources++;
                    findings.AddRange(Names(expression, AppSettings, $"{path}.appSettings"));
                    break;
                case JsonValue:
                    // siteConfig built by an expression: its settings may be in it too.
                    findings.AddRange(Names(siteConfig, AppSettings, path));
                    break;
            }
        }
    }

    /// <summary>
    /// The listed names <paramref name="node"/> sets: its keys when it is an object, or the names an ARM
    /// expression (a string such as "[union(…)]") spells out when the object is computed.
    /// </summary>
    private static IEnumerable<string> Names(JsonNode? node, IReadOnlySet<string> listed, string path) => node switch
    {
        JsonObject obj => obj.Select(p => p.Key).Where(listed.Contains).Select(key => $"{path}.{key}"),
        JsonValue value when value.TryGetValue<string>(out var expression) =>
            listed.Where(name => Regex.IsMatch(expression, $@"\b{Regex.Escape(name)}\b", RegexOptions.IgnoreCase))
                .Select(name => $"{path} (in an expression) {name}"),
        _ => [],
    };

    /// <summary>The config's own name: 'appsettings' from "app/appsettings" or "[format('{0}/{1}', …, 'appsettings')]".</summary>
    private static string ConfigName(string name)
    {
        var literal = Regex.Match(name, @"'(?<name>[^']*)'\)\]$");
        return literal.Success ? literal.Groups["name"].Value : name[(name.LastIndexOf('/') + 1)..];
    }
}
