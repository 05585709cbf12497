using Insightly.Unified.Unified.Mapping;

namespace Insightly.Unified.Unified.Resources;

/// <summary>Every unified resource, for the fields resource, the OpenAPI document and the tests.</summary>
public static class CrmResources
{
    public static IReadOnlyList<CrmResource> All { get; } =
    [
        Accounts.Resource, Contacts.Resource, Leads.Resource, Opportunities.Resource, Notes.Resource, Tasks.Resource,
        Projects.Resource, Users.Resource, Pipelines.Resource, Stages.Resource, DirectoryUsers.Resource,
    ];

    /// <summary>The entities <c>GET /unified/crm/fields?entity=</c> describes.</summary>
    public static IReadOnlyDictionary<string, CrmResource> FieldEntities { get; } = new[]
    {
        Contacts.Resource, Accounts.Resource, Leads.Resource, Opportunities.Resource, Tasks.Resource, Projects.Resource, Notes.Resource,
    }.ToDictionary(r => r.Entity, StringComparer.Ordinal);
}
